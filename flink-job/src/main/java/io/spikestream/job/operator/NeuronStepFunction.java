package io.spikestream.job.operator;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.LateEvent;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.neural.ExactNeuron;
import io.spikestream.neural.SpikeSnapshot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The keyed neuron operator: for each group (the key) it bins input events into simulation steps
 * of event time, runs each step on an {@link ExactNeuron} once the watermark passes its end, and
 * emits one {@link SpikeRecord} per step that received events.
 *
 * <p>Per group it keeps, as Flink managed keyed state: the spike buffer ({@link #SPIKES}, bit-packed
 * through neural-core's Kryo serializer), the group's clock, the last step run ({@link #CLOCK}), and
 * the inputs of pending steps ({@link #PENDING}). A step's events are superposed: currents summed,
 * overrides united; if any event carries an override, the step's spikes are the override. Steps
 * run in order; an event whose step already ran goes to {@link #LATE}. Steps without events need
 * no work: an ExactNeuron step without input spikes nothing, so only the clock moves past them.
 */
public class NeuronStepFunction extends KeyedProcessFunction<String, InputEvent, SpikeRecord> {

  /** Events whose step had already run, with the reason. */
  public static final OutputTag<LateEvent> LATE = new OutputTag<>("late") {};

  /** The group's spike buffer after its last step. */
  static final ValueStateDescriptor<SpikeSnapshot> SPIKES =
      new ValueStateDescriptor<>("spikes", SpikeStateSerializers.spikeSnapshotSerializer());

  /** The last step run of the group. */
  static final ValueStateDescriptor<Long> CLOCK = new ValueStateDescriptor<>("last step", Types.LONG);

  /** The inputs of the steps that received events and have not run, by step number. */
  static final MapStateDescriptor<Long, StepInput> PENDING =
      new MapStateDescriptor<>("pending steps", Types.LONG, TypeInformation.of(StepInput.class));

  /** Above this many steps per timer, onTimer looks through the pending steps instead. */
  private static final long MAX_STEPS_PER_TIMER_PROBE = 64;

  private final Map<String, GroupConfig> groups;
  private final boolean emitVoltage;

  /** The group's spike buffer after its last step. */
  private transient ValueState<SpikeSnapshot> spikeState;

  /** The group's last step run. */
  private transient ValueState<Long> clockState;

  /** Inputs of the group's pending steps. */
  private transient MapState<Long, StepInput> pendingState;

  /**
   * Per group: a neuron and input buffers, and what this instance knows of the group's state
   * (clock, which step's spikes the neuron holds), so a step reads back from Flink state only what
   * it has not written itself. The state itself always lives in Flink: every step writes it.
   */
  private transient Map<String, Scratch> scratch;

  private transient Counter applied;
  private transient Counter late;
  private transient Counter steps;

  /**
   * @param groups the groups by id
   * @param emitVoltage whether spike records carry the voltages after each step
   */
  public NeuronStepFunction(Map<String, GroupConfig> groups, boolean emitVoltage) {
    this.groups = groups;
    this.emitVoltage = emitVoltage;
  }

  @Override
  public void open(OpenContext openContext) {
    spikeState = getRuntimeContext().getState(SPIKES);
    clockState = getRuntimeContext().getState(CLOCK);
    pendingState = getRuntimeContext().getMapState(PENDING);
    scratch = new HashMap<>();
    applied = getRuntimeContext().getMetricGroup().counter("eventsApplied");
    late = getRuntimeContext().getMetricGroup().counter("eventsLate");
    steps = getRuntimeContext().getMetricGroup().counter("stepsRun");
  }

  @Override
  public void processElement(InputEvent event, Context ctx, Collector<SpikeRecord> out)
      throws Exception {
    GroupConfig group = groups.get(event.group);
    long lastStep = scratch(group).lastStep(clockState);
    if (event.step <= lastStep) {
      late.inc();
      ctx.output(
          LATE,
          new LateEvent(
              event, "step " + event.step + " already ran (last step run: " + lastStep + ")"));
      return;
    }
    StepInput input = pendingState.get(event.step);
    if (input == null) {
      input = new StepInput();
      ctx.timerService().registerEventTimeTimer(group.timerOf(event.step));
    }
    input.add(event);
    pendingState.put(event.step, input);
    applied.inc();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SpikeRecord> out)
      throws Exception {
    GroupConfig group = groups.get(ctx.getCurrentKey());
    // Timers fire in timestamp order and each pending step registered the timer timerOf(step),
    // so this timer is due for exactly the steps whose timerOf is this timestamp: several when
    // step_time < 1 ms. Visit that range in order rather than every pending step.
    long first = group.firstStepOfTimer(timestamp);
    long last = group.firstStepOfTimer(timestamp + 1) - 1;
    if (last - first < MAX_STEPS_PER_TIMER_PROBE) {
      for (long step = first; step <= last; step++) {
        StepInput input = pendingState.get(step);
        if (input != null) {
          out.collect(runStep(group, step, input));
          pendingState.remove(step);
        }
      }
      return;
    }
    // steps far shorter than a millisecond: cheaper to look through the pending ones
    List<Long> due = new ArrayList<>();
    for (Long step : pendingState.keys()) {
      if (group.timerOf(step) <= timestamp) {
        due.add(step);
      }
    }
    Collections.sort(due);
    for (long step : due) {
      out.collect(runStep(group, step, pendingState.get(step)));
      pendingState.remove(step);
    }
  }

  private Scratch scratch(GroupConfig group) {
    return scratch.computeIfAbsent(group.id(), id -> new Scratch(group));
  }

  private SpikeRecord runStep(GroupConfig group, long step, StepInput input) throws Exception {
    Scratch s = scratch(group);
    // the neuron holds the spikes of the group's last step unless this instance has not run one
    // since it started (or was restored): only then read them back
    long lastStep = s.lastStep(clockState);
    if (s.neuronStep != lastStep) {
      SpikeSnapshot previous = spikeState.value();
      if (previous != null) {
        s.neuron.restore(previous);
      } else {
        s.neuron.clear();
      }
    }
    if (input.overridden) {
      s.forced.put(0, s.noSpikes);
      for (int i = 0; i < input.overrideCount; i++) {
        s.forced.put(input.override[i], (byte) 1);
      }
      s.neuron.forward(null, s.overrideArray);
    } else {
      s.loadCurrents(input);
      s.neuron.forward(s.currentArray);
    }
    spikeState.update(s.neuron.snapshot());
    clockState.update(step);
    s.lastStep = step;
    s.neuronStep = step;
    steps.inc();
    float[] voltage = emitVoltage ? s.neuron.voltage().data().asFloat() : null;
    return new SpikeRecord(
        group.id(), step, group.stepStart(step), s.neuron.spikedIndices(), voltage);
  }

  /** A group's neuron and input arrays, allocated once per operator instance. */
  private static final class Scratch {
    /** No step has run: the clock state is empty. */
    static final long NONE = Long.MIN_VALUE;
    /** Not read from the clock state yet. */
    static final long UNKNOWN = Long.MIN_VALUE + 1;

    final ExactNeuron neuron;
    final INDArray currentArray;
    final DoubleBuffer currentBuffer;
    final double[] zeros;
    final INDArray overrideArray;
    final ByteBuffer forced;
    final byte[] noSpikes;
    /** The group's last step run, once read from the clock state; else {@link #UNKNOWN}. */
    long lastStep = UNKNOWN;
    /** The step whose spikes {@link #neuron} holds; {@link #NONE} for a cleared neuron. */
    long neuronStep = NONE;
    /** Whether the current buffer may be non-zero anywhere (after a dense step). */
    boolean denseLoaded;
    /** The indices a sparse step wrote, to zero before the next: {@code touchedCount} used. */
    int[] touched = new int[16];
    int touchedCount;

    Scratch(GroupConfig group) {
      neuron = group.newNeuron();
      currentArray = Nd4j.create(DataType.DOUBLE, group.batchedShape(), 'c');
      currentBuffer =
          currentArray.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
      zeros = new double[group.neurons()];
      overrideArray = Nd4j.create(DataType.BOOL, group.batchedShape(), 'c');
      forced = overrideArray.data().asNio();
      noSpikes = new byte[forced.capacity()];
    }

    /** The group's last step run ({@link #NONE} if none); reads the clock state only once. */
    long lastStep(ValueState<Long> clockState) throws java.io.IOException {
      if (lastStep == UNKNOWN) {
        Long clock = clockState.value();
        lastStep = clock == null ? NONE : clock;
      }
      return lastStep;
    }

    /**
     * Puts a step's summed currents into the input array. A sparse step costs its own entries
     * (plus the previous sparse step's, zeroed back), not the group's size.
     */
    void loadCurrents(StepInput input) {
      if (input.dense != null) {
        currentBuffer.put(0, input.dense);
        denseLoaded = true;
        touchedCount = 0;
        return;
      }
      if (denseLoaded) {
        currentBuffer.put(0, zeros);
        denseLoaded = false;
      } else {
        for (int i = 0; i < touchedCount; i++) {
          currentBuffer.put(touched[i], 0.0);
        }
      }
      if (touched.length < input.sparseCount) {
        touched = new int[Math.max(input.sparseCount, 2 * touched.length)];
      }
      // from 0, in arrival order: the same float64 sums as StepInput.sumInto
      for (int i = 0; i < input.sparseCount; i++) {
        int index = input.sparseIndex[i];
        currentBuffer.put(index, currentBuffer.get(index) + input.sparseCurrent[i]);
        touched[i] = index;
      }
      touchedCount = input.sparseCount;
    }
  }
}
