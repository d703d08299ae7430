package io.spikestream.job.operator;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.LateEvent;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.neural.NeuronSnapshot;
import io.spikestream.neural.SpikeSnapshot;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * The keyed neuron operator, the Flink part of a group's run: for each group (the key) it bins
 * input events into simulation steps of event time, hands each step to the group's {@link
 * GroupStepper} once the watermark passes its end, and emits one {@link SpikeRecord} per step that
 * received events (and per idle step in which a neuron spiked without input, which only an ALIF
 * can).
 *
 * <p>Per group it keeps, as Flink managed keyed state: the neurons' state after the last step
 * ({@link #NEURON}, any model, through neural-core's Kryo serializer), the group's clock, the last
 * step run ({@link #CLOCK}), the inputs of pending steps ({@link #PENDING}) and whether idle steps
 * are due after the last step ({@link #IDLE}). A step's events are superposed: currents summed,
 * overrides united; if any event carries an override, the step's spikes are the override. Steps run
 * in order; an event whose step already ran goes to {@link #LATE}.
 *
 * <p>Between checkpoints the operator works on its own copy of that state in memory and writes what
 * changed into Flink's keyed state just before each checkpoint or savepoint barrier ({@link
 * #prepareSnapshotPreBarrier}), the way Flink's mini-batch operators do: an event then costs a
 * lookup and an addition, not keyed-state reads and writes and a timer, which is most of the cost
 * of a step when steps have few events. Everything a checkpoint holds is in keyed state, so
 * recovery, savepoints and rescaling work as with state written at once; after a restore, the
 * pending steps are read back into memory in {@link #open}. Steps run on the watermark, in order of
 * their due time, and at the end of the input all pending steps run (and the idle steps of groups
 * whose neurons can still spike without input, until none can). With a flush interval, all pending
 * steps also run once no event has arrived for that long (wall-clock time): a live stream's newest
 * step then need not wait for an event of a later step.
 *
 * <p>State written before neuron models other than ExactNeuron existed (a spike buffer, {@link
 * #LEGACY_SPIKES}) is read where a group has no {@link #NEURON} state yet, and replaced by it.
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

  /** The group's neurons after its last step. */
  static final ValueStateDescriptor<NeuronSnapshot> NEURON =
      new ValueStateDescriptor<>("neuron state", NeuronStateSerializers.neuronSnapshotSerializer());

  /**
   * The ExactNeuron spike buffer of state written before other models existed: read where {@link
   * #NEURON} is empty, cleared once replaced.
   */
  static final ValueStateDescriptor<SpikeSnapshot> LEGACY_SPIKES =
      new ValueStateDescriptor<>("spikes", NeuronStateSerializers.legacySpikeSnapshotSerializer());

  /**
   * Set while the step after the group's last one must run even without input (some neuron can
   * spike without input), so that a restore schedules it.
   */
  static final ValueStateDescriptor<Boolean> IDLE =
      new ValueStateDescriptor<>("idle steps due", Types.BOOLEAN);

  /**
   * The most idle steps in a row a group runs after its last input before it stops for this pass
   * (with a warning): a neuron that can spike without input for longer than that is not expected.
   */
  static final long MAX_IDLE_STEPS_IN_A_ROW = 10_000_000;

  /** The last step run of the group. */
  static final ValueStateDescriptor<Long> CLOCK =
      new ValueStateDescriptor<>("last step", Types.LONG);

  /** The inputs of the steps that received events and have not run, by step number. */
  static final MapStateDescriptor<Long, StepInput> PENDING =
      new MapStateDescriptor<>("pending steps", Types.LONG, TypeInformation.of(StepInput.class));

  private final Map<String, GroupConfig> groups;
  private final boolean emitVoltage;
  private final long flushIdleMs;

  private transient ValueState<NeuronSnapshot> neuronState;
  private transient ValueState<SpikeSnapshot> legacySpikeState;
  private transient ValueState<Boolean> idleState;
  private transient ValueState<Long> clockState;
  private transient MapState<Long, StepInput> pendingState;

  /** Every group this instance has seen, with its neuron and what it knows of its state. */
  private transient Map<String, GroupRun> runs;

  /** {@link #runs} by the group indices events came with (see {@link #run(InputEvent)}). */
  private transient GroupRun[] runsByIndex;

  /**
   * Groups with steps to run, by the watermark at which the first one is due; an entry whose due
   * time is no longer its group's {@link GroupRun#due} is stale and skipped.
   */
  private transient DueQueue<GroupRun> waiting;

  /**
   * Inputs of steps that ran, emptied, for new steps of any group, the last recycled first: it was
   * touched last and is the most likely to be in cache (a group's own input from its previous step
   * mostly is not, with a thousand other groups' steps in between).
   */
  private transient ArrayDeque<StepInput> spareInputs;

  /** The most inputs {@link #spareInputs} keeps. */
  private static final int MAX_SPARE_INPUTS = 1024;

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
    neuronState = getKeyedStateStore().getState(NEURON);
    legacySpikeState = getKeyedStateStore().getState(LEGACY_SPIKES);
    idleState = getKeyedStateStore().getState(IDLE);
    clockState = getKeyedStateStore().getState(CLOCK);
    pendingState = getKeyedStateStore().getMapState(PENDING);
    runs = new HashMap<>();
    runsByIndex = new GroupRun[0];
    waiting = new DueQueue<>();
    spareInputs = new ArrayDeque<>();
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
      // the pending steps, and idle steps only where they come before one: those after the
      // newest event lie in event time not seen yet
      runDueSteps(Long.MAX_VALUE, false);
    }
    scheduleFlushCheck();
  }

  /**
   * Reads the pending steps a checkpoint held back into memory, and schedules the groups whose idle
   * steps were due (none on a fresh start).
   */
  private void restorePending() throws Exception {
    List<String> idle;
    try (Stream<String> stored =
        this.<String>getKeyedStateBackend().getKeys(IDLE.getName(), VoidNamespace.INSTANCE)) {
      idle = stored.toList();
    }
    for (String key : idle) {
      if (groups.containsKey(key)) {
        setCurrentKey(key);
        GroupRun run = run(key);
        run.idleStored = true;
        schedule(run);
      }
    }
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
      schedule(run);
    }
  }

  /**
   * The run of an event's group: by the group's index when the event came through the job's
   * serializer, which sets index and id from the job's one group list (so the run found by the id
   * for the first event of an index serves every later one), else by its id.
   */
  private GroupRun run(InputEvent event) {
    int index = event.groupIndex;
    if (index < 0) {
      return run(event.group);
    }
    if (index >= runsByIndex.length) {
      runsByIndex = Arrays.copyOf(runsByIndex, Math.max(index + 1, 2 * runsByIndex.length));
    }
    GroupRun run = runsByIndex[index];
    if (run == null) {
      run = run(event.group);
      runsByIndex[index] = run;
    }
    return run;
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
    GroupRun run = run(event);
    long lastStep = lastStep(run);
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
      input = newInput();
      boolean first = run.pending.isEmpty() || event.step < run.pending.firstStep();
      run.pending.add(event.step, input);
      pendingSteps++;
      pendingTotal.add(1L);
      if (first) {
        schedule(run);
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
      runDueSteps(watermark, true);
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
    runDueSteps(Long.MAX_VALUE, true);
  }

  /**
   * Runs, group by group, every step due at or before a time: pending steps, and idle steps of
   * groups whose neurons can spike without input.
   *
   * @param upTo the watermark, or {@link Long#MAX_VALUE} to run every pending step
   * @param idleBeyondInput whether idle steps after a group's last pending step run too (up to
   *     {@code upTo}); false for a flush, which runs only what the input has given
   */
  private void runDueSteps(long upTo, boolean idleBeyondInput) throws Exception {
    // groups that stopped at an idle step they may not run now go back into the queue after this
    // pass, not during it, which would run them again at once
    List<GroupRun> stopped = new ArrayList<>();
    while (!waiting.isEmpty() && waiting.firstDue() <= upTo) {
      long due = waiting.firstDue();
      for (GroupRun run : waiting.pollFirst()) {
        if (run.due != due) {
          continue; // stale: its next step changed or already ran
        }
        run.due = GroupRun.NOT_DUE;
        boolean stoppedAtIdle = runGroup(run, upTo, idleBeyondInput);
        markChanged(run);
        if (stoppedAtIdle) {
          stopped.add(run);
        } else {
          schedule(run);
        }
      }
    }
    for (GroupRun run : stopped) {
      schedule(run);
    }
  }

  /**
   * Runs a group's steps due at or before a time, in order.
   *
   * @return whether it stopped at an idle step that is due but may not run in this pass
   */
  private boolean runGroup(GroupRun run, long upTo, boolean idleBeyondInput) throws Exception {
    GroupStepper stepper = stepper(run);
    long idleRun = 0;
    while (true) {
      long next = nextStep(run, stepper);
      if (next == GroupStepper.NONE || run.group.timerOf(next) > upTo) {
        return false;
      }
      if (!run.pending.isEmpty() && next == run.pending.firstStep()) {
        StepInput input = run.pending.pollFirst();
        pendingSteps--;
        pendingTotal.add(-1L);
        if (input == run.lastInput) {
          run.lastInput = null;
          run.lastInputStep = GroupRun.NONE;
        }
        if (input.stored) {
          run.ranStored.add(next);
        }
        emit(run, stepper.step(next, input));
        recycle(input);
        idleRun = 0;
      } else {
        if (run.pending.isEmpty() && !idleBeyondInput) {
          return true;
        }
        if (run.pending.isEmpty() && ++idleRun > MAX_IDLE_STEPS_IN_A_ROW) {
          LOG.warn(
              "group '{}' still has neurons that can spike without input after {} idle steps;"
                  + " its idle steps stop at step {}",
              run.group.id(),
              MAX_IDLE_STEPS_IN_A_ROW,
              stepper.lastStep());
          return true;
        }
        SpikeRecord record = stepper.idleStep();
        if (record != null) {
          emit(run, record);
        }
      }
      run.lastStep = stepper.lastStep();
      run.stepped = true;
    }
  }

  /** The group's next step to run: its first pending step, or the next idle one if that is due. */
  private static long nextStep(GroupRun run, GroupStepper stepper) {
    long pending = run.pending.isEmpty() ? GroupStepper.NONE : run.pending.firstStep();
    if (!stepper.needsIdleSteps()) {
      return pending;
    }
    long idle = stepper.lastStep() == GroupStepper.NONE ? 0 : stepper.lastStep() + 1;
    return pending == GroupStepper.NONE || idle < pending ? idle : pending;
  }

  private void emit(GroupRun run, SpikeRecord record) {
    steps.inc();
    stepsTotal.add(1L);
    spikesTotal.add(record.spikes.length);
    output.collect(new StreamRecord<>(record, run.group.timerOf(record.step)));
  }

  /**
   * The group's stepper, holding the state of its last step: this instance's own, or, the first
   * time after a start or restore, read from keyed state.
   */
  private GroupStepper stepper(GroupRun run) throws Exception {
    if (run.stepper == null) {
      GroupStepper stepper = new GroupStepper(run.group, emitVoltage);
      setCurrentKey(run.group.id());
      NeuronSnapshot state = neuronState.value();
      if (state == null) {
        state = legacySpikeState.value();
        run.legacy = state != null;
      }
      stepper.restore(state, lastStep(run));
      run.stepper = stepper;
    }
    return run.stepper;
  }

  /** The group's last step run ({@link GroupRun#NONE} if none); reads the clock state once. */
  private long lastStep(GroupRun run) throws IOException {
    if (run.lastStep == GroupRun.UNKNOWN) {
      setCurrentKey(run.group.id());
      Long clock = clockState.value();
      run.lastStep = clock == null ? GroupRun.NONE : clock;
    }
    return run.lastStep;
  }

  /**
   * False: the operator sets the current key itself, only where it reads or writes keyed state (a
   * group's first event or step on this instance, and the barrier), so Flink need not compute the
   * key and its key group for every event. Flink then calls {@link #processElement} without {@link
   * #setKeyContextElement1}.
   */
  @Override
  public boolean hasKeyContext1() {
    return false;
  }

  /**
   * Puts the group in the queue under the due time of its next step: its first pending step, or the
   * step after its last if its neurons can spike without input (read only for a group whose neurons
   * this instance holds, or whose idle steps a restored state said are due).
   */
  private void schedule(GroupRun run) throws Exception {
    long next;
    if (run.stepper != null) {
      next = nextStep(run, run.stepper);
    } else if (run.idleStored) {
      next = nextStep(run, stepper(run));
    } else {
      next = run.pending.isEmpty() ? GroupStepper.NONE : run.pending.firstStep();
    }
    if (next == GroupStepper.NONE) {
      run.due = GroupRun.NOT_DUE;
      return;
    }
    long due = run.group.timerOf(next);
    if (due != run.due) {
      // the group's entry under its old due time, if any, becomes stale
      run.due = due;
      waiting.add(due, run);
    }
  }

  /** An empty input for a new pending step. */
  private StepInput newInput() {
    StepInput input = spareInputs.pollFirst();
    return input == null ? new StepInput() : input;
  }

  /** Takes back the input of a step that ran: a new step reuses it and its arrays. */
  private void recycle(StepInput input) {
    if (spareInputs.size() < MAX_SPARE_INPUTS) {
      input.clear();
      spareInputs.addFirst(input);
    }
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
   * Writes what changed since the last barrier into keyed state: the neurons, clock and idle mark
   * of groups that stepped, and the pending steps of groups whose pending steps changed.
   */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    for (GroupRun run : changed) {
      setCurrentKey(run.group.id());
      if (run.stepped) {
        neuronState.update(run.stepper.snapshot());
        clockState.update(run.lastStep);
        if (run.legacy) {
          legacySpikeState.clear();
          run.legacy = false;
        }
        boolean idle = run.stepper.needsIdleSteps();
        if (idle != run.idleStored) {
          if (idle) {
            idleState.update(true);
          } else {
            idleState.clear();
          }
          run.idleStored = idle;
        }
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

  /** A group's stepper, pending steps and in-memory state on this instance. */
  private static final class GroupRun {
    /** No step has run: the clock state is empty. */
    static final long NONE = Long.MIN_VALUE;

    /** Not read from the clock state yet. */
    static final long UNKNOWN = Long.MIN_VALUE + 1;

    /** Not in the due queue. */
    static final long NOT_DUE = Long.MIN_VALUE;

    final GroupConfig group;

    /** The group's neurons and their last step, once read from state or stepped; else null. */
    GroupStepper stepper;

    /** Pending steps' inputs by step, the authoritative copy between barriers. */
    final PendingSteps pending = new PendingSteps();

    /** Steps that ran since the last barrier and are still in keyed state. */
    final List<Long> ranStored = new ArrayList<>();

    /** The watermark at which the group's next step is due, or {@link #NOT_DUE}. */
    long due = NOT_DUE;

    /** The pending input the group's previous event went to, and its step; or null, NONE. */
    StepInput lastInput;

    long lastInputStep = NONE;

    /** The group's last step run, once read from the clock state; else {@link #UNKNOWN}. */
    long lastStep = UNKNOWN;

    /** Whether a step ran since the last barrier (neurons and clock to write). */
    boolean stepped;

    /** Whether anything changed since the last barrier (listed in {@code changed}). */
    boolean changed;

    /** Whether the neurons were read from the legacy spike state, to be cleared once replaced. */
    boolean legacy;

    /** Whether keyed state marks idle steps as due after the last step. */
    boolean idleStored;

    GroupRun(GroupConfig group) {
      this.group = group;
    }
  }
}
