package io.spikestream.job.operator;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.LateEvent;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.neural.ExactNeuron;
import io.spikestream.neural.SpikeSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The keyed neuron operator: for each group (the key) it bins input events into simulation steps of
 * event time, runs each step on an {@link ExactNeuron} once the watermark passes its end, and emits
 * one {@link SpikeRecord} per step that received events.
 *
 * <p>Per group it keeps, as Flink managed keyed state: the spike buffer ({@link #SPIKES},
 * bit-packed through neural-core's Kryo serializer), the group's clock, the last step run ({@link
 * #CLOCK}), and the inputs of pending steps ({@link #PENDING}). A step's events are superposed:
 * currents summed, overrides united; if any event carries an override, the step's spikes are the
 * override. Steps run in order; an event whose step already ran goes to {@link #LATE}. Steps
 * without events need no work: an ExactNeuron step without input spikes nothing, so only the clock
 * moves past them.
 *
 * <p>Between checkpoints the operator works on its own copy of that state in memory and writes what
 * changed into Flink's keyed state just before each checkpoint or savepoint barrier ({@link
 * #prepareSnapshotPreBarrier}), the way Flink's mini-batch operators do: an event then costs a
 * lookup and an addition, not keyed-state reads and writes and a timer, which is most of the cost
 * of a step when steps have few events. Everything a checkpoint holds is in keyed state, so
 * recovery, savepoints and rescaling work as with state written at once; after a restore, the
 * pending steps are read back into memory in {@link #open}. Steps run on the watermark, in order of
 * their due time, and at the end of the input all pending steps run. With a flush interval, all
 * pending steps also run once no event has arrived for that long (wall-clock time): a live stream's
 * newest step then need not wait for an event of a later step.
 *
 * <p>It counts the run's {@link RunCounters#APPLIED}, {@link RunCounters#LATE}, {@link
 * RunCounters#STEPS} and {@link RunCounters#SPIKES} (kept in operator state, exact across restarts)
 * and shows {@link RunCounters#PENDING_STEPS} and {@link RunCounters#WATERMARK}.
 */
public class NeuronStepOperator extends AbstractStreamOperator<SpikeRecord>
    implements OneInputStreamOperator<InputEvent, SpikeRecord>, BoundedOneInput {

  private static final long serialVersionUID = 1L;

  /** Events whose step had already run, with the reason. */
  public static final OutputTag<LateEvent> LATE = new OutputTag<>("late") {};

  /** The group's spike buffer after its last step. */
  static final ValueStateDescriptor<SpikeSnapshot> SPIKES =
      new ValueStateDescriptor<>("spikes", SpikeStateSerializers.spikeSnapshotSerializer());

  /** The last step run of the group. */
  static final ValueStateDescriptor<Long> CLOCK =
      new ValueStateDescriptor<>("last step", Types.LONG);

  /** The inputs of the steps that received events and have not run, by step number. */
  static final MapStateDescriptor<Long, StepInput> PENDING =
      new MapStateDescriptor<>("pending steps", Types.LONG, TypeInformation.of(StepInput.class));

  private static final int[] NO_INDICES = new int[0];
  private static final double[] NO_CURRENTS = new double[0];

  private final Map<String, GroupConfig> groups;
  private final boolean emitVoltage;
  private final long flushIdleMs;

  private transient ValueState<SpikeSnapshot> spikeState;
  private transient ValueState<Long> clockState;
  private transient MapState<Long, StepInput> pendingState;

  /** Every group this instance has seen, with its neuron and what it knows of its state. */
  private transient Map<String, GroupRun> runs;

  /**
   * Groups with pending steps, by the watermark at which their first one is due; an entry whose due
   * time is no longer its group's {@link GroupRun#due} is stale and skipped.
   */
  private transient DueQueue<GroupRun> waiting;

  /** Groups whose state changed since the last barrier. */
  private transient List<GroupRun> changed;

  private transient long watermark;
  private transient boolean endOfTime;
  private transient Counter applied;
  private transient Counter late;
  private transient Counter steps;

  /** Steps of all groups that received events and have not run: in memory and checkpoints. */
  private transient long pendingSteps;

  /** The run's totals: applied, late, steps, spikes; kept in operator state. */
  private transient RunCounters totals;

  private transient LongCounter appliedTotal;
  private transient LongCounter lateTotal;
  private transient LongCounter stepsTotal;
  private transient LongCounter spikesTotal;
  private transient LongCounter pendingTotal;
  private transient LongMaximum watermarkShown;

  /** Whether an event arrived since the last flush check. */
  private transient boolean sawEvent;

  /** When the last flush check saw that events had arrived, in ms of processing time. */
  private transient long lastActiveMs;

  /**
   * @param groups the groups by id
   * @param emitVoltage whether spike records carry the voltages after each step
   * @param flushIdleMs after how many ms of processing time without an event all pending steps run;
   *     0 never
   */
  public NeuronStepOperator(
      Map<String, GroupConfig> groups, boolean emitVoltage, long flushIdleMs) {
    this.groups = groups;
    this.emitVoltage = emitVoltage;
    this.flushIdleMs = flushIdleMs;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    totals =
        new RunCounters(
            "run totals",
            RunCounters.APPLIED,
            RunCounters.LATE,
            RunCounters.STEPS,
            RunCounters.SPIKES);
    totals.initialize(context.getOperatorStateStore());
  }

  @Override
  public void open() throws Exception {
    super.open();
    spikeState = getKeyedStateStore().getState(SPIKES);
    clockState = getKeyedStateStore().getState(CLOCK);
    pendingState = getKeyedStateStore().getMapState(PENDING);
    runs = new HashMap<>();
    waiting = new DueQueue<>();
    changed = new ArrayList<>();
    watermark = Long.MIN_VALUE;
    applied = getMetricGroup().counter("eventsApplied");
    late = getMetricGroup().counter("eventsLate");
    steps = getMetricGroup().counter("stepsRun");
    pendingSteps = 0;
    getMetricGroup().<Long, Gauge<Long>>gauge("pendingSteps", () -> pendingSteps);
    totals.register(getRuntimeContext());
    appliedTotal = totals.get(0);
    lateTotal = totals.get(1);
    stepsTotal = totals.get(2);
    spikesTotal = totals.get(3);
    pendingTotal = new LongCounter();
    watermarkShown = new LongMaximum();
    getRuntimeContext().addAccumulator(RunCounters.PENDING_STEPS, pendingTotal);
    getRuntimeContext().addAccumulator(RunCounters.WATERMARK, watermarkShown);
    restorePending();
    if (flushIdleMs > 0) {
      lastActiveMs = getProcessingTimeService().getCurrentProcessingTime();
      scheduleFlushCheck();
    }
  }

  /**
   * Checks a quarter of the flush interval from now whether events arrived: a flush then comes
   * between one and one and a quarter intervals after the last event, at the cost of one timer per
   * quarter interval rather than a clock read per event.
   */
  private void scheduleFlushCheck() {
    long now = getProcessingTimeService().getCurrentProcessingTime();
    getProcessingTimeService().registerTimer(now + Math.max(1, flushIdleMs / 4), this::checkFlush);
  }

  private void checkFlush(long now) throws Exception {
    if (sawEvent) {
      sawEvent = false;
      lastActiveMs = now;
    } else if (now - lastActiveMs >= flushIdleMs && pendingSteps > 0) {
      runDueSteps(Long.MAX_VALUE);
    }
    scheduleFlushCheck();
  }

  /** Reads the pending steps a checkpoint held back into memory (none on a fresh start). */
  private void restorePending() throws Exception {
    List<String> keys;
    try (Stream<String> stored =
        this.<String>getKeyedStateBackend().getKeys(PENDING.getName(), VoidNamespace.INSTANCE)) {
      keys = stored.toList();
    }
    for (String key : keys) {
      if (!groups.containsKey(key)) {
        // its events would be lost; the user decides, with the groups file
        throw new IllegalStateException(
            "the restored state holds pending steps of group '"
                + key
                + "', which the groups file does not have: put the group back to resume from this"
                + " checkpoint or savepoint");
      }
      setCurrentKey(key);
      GroupRun run = run(key);
      for (Map.Entry<Long, StepInput> entry : pendingState.entries()) {
        // a copy: the heap backend's state objects must not change under its snapshots
        StepInput input = entry.getValue().copy();
        String misfit = input.misfit(run.group.neurons());
        if (misfit != null) {
          throw new IllegalStateException(
              "the restored pending step "
                  + entry.getKey()
                  + " of group '"
                  + key
                  + "' does not fit the group's "
                  + run.group.neurons()
                  + " neurons in the groups file ("
                  + misfit
                  + "): resume with the shape the group"
                  + " had at the checkpoint or savepoint");
        }
        input.stored = true;
        run.pending.add(entry.getKey(), input);
        pendingSteps++;
        pendingTotal.add(1L);
      }
      if (!run.pending.isEmpty()) {
        run.due = run.group.timerOf(run.pending.firstStep());
        waiting.add(run.due, run);
      }
    }
  }

  private GroupRun run(String id) {
    GroupRun run = runs.get(id);
    if (run == null) {
      run = new GroupRun(groups.get(id));
      runs.put(id, run);
    }
    return run;
  }

  @Override
  public void processElement(StreamRecord<InputEvent> element) throws Exception {
    InputEvent event = element.getValue();
    sawEvent = true;
    GroupRun run = run(event.group);
    long lastStep = run.lastStep(clockState);
    if (event.step <= lastStep) {
      late.inc(event.count);
      lateTotal.add(event.count);
      output.collect(
          LATE,
          new StreamRecord<>(
              new LateEvent(
                  event, "step " + event.step + " already ran (last step run: " + lastStep + ")"),
              element.getTimestamp()));
      return;
    }
    // events mostly come in step order: the step of the group's previous event, most often
    StepInput input = event.step == run.lastInputStep ? run.lastInput : run.pending.get(event.step);
    if (input == null) {
      input = run.newInput();
      boolean first = run.pending.isEmpty() || event.step < run.pending.firstStep();
      run.pending.add(event.step, input);
      pendingSteps++;
      pendingTotal.add(1L);
      if (first) {
        // the group's entry under its old due time, if any, becomes stale
        run.due = run.group.timerOf(event.step);
        waiting.add(run.due, run);
      }
    }
    input.add(event);
    run.lastInputStep = event.step;
    run.lastInput = input;
    markChanged(run);
    applied.inc(event.count);
    appliedTotal.add(event.count);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    if (mark.getTimestamp() > watermark) {
      watermark = mark.getTimestamp();
      endOfTime = watermark == Long.MAX_VALUE;
      watermarkShown.add(watermark);
      runDueSteps(watermark);
    }
    super.processWatermark(mark);
  }

  @Override
  public void endInput() throws Exception {
    // Flink 2.2 may drop the final watermark of a drained source that was idle (FLINK-40499); and
    // an event that came after the end of time (from an input that was idle when another ended)
    // must not wait for ever
    if (!endOfTime) {
      processWatermark(Watermark.MAX_WATERMARK);
    }
    runDueSteps(Long.MAX_VALUE);
  }

  /**
   * Runs, group by group, every pending step due at or before a time.
   *
   * @param upTo the watermark, or {@link Long#MAX_VALUE} to run every pending step
   */
  private void runDueSteps(long upTo) throws Exception {
    while (!waiting.isEmpty() && waiting.firstDue() <= upTo) {
      long due = waiting.firstDue();
      for (GroupRun run : waiting.pollFirst()) {
        if (run.pending.isEmpty() || run.due != due) {
          continue; // stale: its first step changed or already ran
        }
        setCurrentKey(run.group.id());
        while (!run.pending.isEmpty() && run.group.timerOf(run.pending.firstStep()) <= upTo) {
          long step = run.pending.firstStep();
          StepInput input = run.pending.pollFirst();
          pendingSteps--;
          pendingTotal.add(-1L);
          if (input == run.lastInput) {
            run.lastInput = null;
            run.lastInputStep = GroupRun.NONE;
          }
          if (input.stored) {
            run.ranStored.add(step);
          }
          output.collect(new StreamRecord<>(runStep(run, step, input), run.group.timerOf(step)));
          run.recycle(input);
        }
        markChanged(run);
        if (!run.pending.isEmpty()) {
          run.due = run.group.timerOf(run.pending.firstStep());
          waiting.add(run.due, run);
        }
      }
    }
  }

  private SpikeRecord runStep(GroupRun run, long step, StepInput input) throws Exception {
    // the neuron holds the spikes of the group's last step unless this instance has not run one
    // since it started (or was restored): only then read them back
    long lastStep = run.lastStep(clockState);
    if (run.neuronStep != lastStep) {
      SpikeSnapshot previous = spikeState.value();
      if (previous != null) {
        run.neuron.restore(previous);
      } else {
        run.neuron.clear();
      }
    }
    int[] spiked;
    if (input.overridden) {
      run.neuron.forward(null, run.overrideOf(input));
      spiked = run.neuron.spikedIndices();
    } else if (input.dense != null) {
      run.neuron.forward(run.currentsOf(input));
      spiked = run.neuron.spikedIndices();
    } else {
      // zero but where the step's sparse events were: the neuron sums them in arrival order
      spiked =
          input.sparseCount == 0
              ? run.neuron.forwardSparse(NO_INDICES, NO_CURRENTS, 0)
              : run.neuron.forwardSparse(input.sparseIndex, input.sparseCurrent, input.sparseCount);
    }
    run.lastStep = step;
    run.neuronStep = step;
    run.stepped = true;
    steps.inc();
    stepsTotal.add(1L);
    spikesTotal.add(spiked.length);
    float[] voltage = emitVoltage ? run.neuron.voltage().data().asFloat() : null;
    GroupConfig group = run.group;
    return new SpikeRecord(group.id(), step, group.stepStart(step), spiked, voltage);
  }

  private void markChanged(GroupRun run) {
    if (!run.changed) {
      run.changed = true;
      changed.add(run);
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    totals.snapshot();
  }

  /**
   * Writes what changed since the last barrier into keyed state: the spike buffer and clock of
   * groups that stepped, and the pending steps of groups whose pending steps changed.
   */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    for (GroupRun run : changed) {
      setCurrentKey(run.group.id());
      if (run.stepped) {
        spikeState.update(run.neuron.snapshot());
        clockState.update(run.lastStep);
        run.stepped = false;
      }
      // entry by entry, never clear() and rewrite: RocksDB's clear() iterates over the
      // tombstones of every entry ever deleted under the key, and a group's pending steps
      // mostly stay unchanged or are new between two barriers
      for (Long step : run.ranStored) {
        pendingState.remove(step);
      }
      run.ranStored.clear();
      for (int i = 0; i < run.pending.size(); i++) {
        StepInput input = run.pending.inputAt(i);
        if (input.dirty) {
          // a copy: later events change the in-memory input, never the snapshot's
          pendingState.put(run.pending.stepAt(i), input.copy());
          input.dirty = false;
          input.stored = true;
        }
      }
      run.changed = false;
    }
    changed.clear();
  }

  /** The number of pending steps of all groups, for tests; checks the gauge against it. */
  int pendingSteps() {
    int counted = runs.values().stream().mapToInt(run -> run.pending.size()).sum();
    if (counted != pendingSteps) {
      throw new IllegalStateException(
          "pendingSteps gauge " + pendingSteps + " but " + counted + " steps pending");
    }
    return counted;
  }

  /** A group's neuron, input buffers and in-memory state on this instance. */
  private static final class GroupRun {
    /** No step has run: the clock state is empty. */
    static final long NONE = Long.MIN_VALUE;

    /** Not read from the clock state yet. */
    static final long UNKNOWN = Long.MIN_VALUE + 1;

    final GroupConfig group;
    final ExactNeuron neuron;

    /** The input of the last step run, emptied, for the next new step; or null. */
    private StepInput spare;

    /** The input of dense steps and a view of its memory; allocated by the first one. */
    private INDArray currentArray;

    private DoubleBuffer currentBuffer;

    /** The override of overridden steps and a view of its memory; allocated by the first one. */
    private INDArray overrideArray;

    private ByteBuffer forced;
    private byte[] noSpikes;

    /** Pending steps' inputs by step, the authoritative copy between barriers. */
    final PendingSteps pending = new PendingSteps();

    /** Steps that ran since the last barrier and are still in keyed state. */
    final List<Long> ranStored = new ArrayList<>();

    /** The watermark at which the first pending step is due (while any is pending). */
    long due;

    /** The pending input the group's previous event went to, and its step; or null, NONE. */
    StepInput lastInput;

    long lastInputStep = NONE;

    /** The group's last step run, once read from the clock state; else {@link #UNKNOWN}. */
    long lastStep = UNKNOWN;

    /** The step whose spikes {@link #neuron} holds; {@link #NONE} for a cleared neuron. */
    long neuronStep = NONE;

    /** Whether a step ran since the last barrier (spikes and clock to write). */
    boolean stepped;

    /** Whether anything changed since the last barrier (listed in {@code changed}). */
    boolean changed;

    GroupRun(GroupConfig group) {
      this.group = group;
      neuron = group.newNeuron();
    }

    /** An empty input for a new pending step. */
    StepInput newInput() {
      if (spare == null) {
        return new StepInput();
      }
      StepInput input = spare;
      spare = null;
      return input;
    }

    /** Takes back the input of a step that ran: the next new step reuses its arrays. */
    void recycle(StepInput input) {
      input.clear();
      spare = input;
    }

    /** A dense step's summed currents as the neuron's input array, in nA. */
    INDArray currentsOf(StepInput input) {
      if (currentArray == null) {
        currentArray = Nd4j.create(DataType.DOUBLE, group.batchedShape(), 'c');
        currentBuffer = currentArray.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
      }
      currentBuffer.put(0, input.dense);
      return currentArray;
    }

    /** An overridden step's override as the neuron's override array: 1 where forced. */
    INDArray overrideOf(StepInput input) {
      if (overrideArray == null) {
        overrideArray = Nd4j.create(DataType.BOOL, group.batchedShape(), 'c');
        forced = overrideArray.data().asNio();
        noSpikes = new byte[forced.capacity()];
      }
      forced.put(0, noSpikes);
      for (int i = 0; i < input.overrideCount; i++) {
        forced.put(input.override[i], (byte) 1);
      }
      return overrideArray;
    }

    /**
     * The group's last step run ({@link #NONE} if none); reads the clock state once, with the group
     * as the current key.
     */
    long lastStep(ValueState<Long> clockState) throws IOException {
      if (lastStep == UNKNOWN) {
        Long clock = clockState.value();
        lastStep = clock == null ? NONE : clock;
      }
      return lastStep;
    }
  }
}
