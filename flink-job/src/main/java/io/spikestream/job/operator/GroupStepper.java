package io.spikestream.job.operator;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.neural.ExactNeuron;
import io.spikestream.neural.Neuron;
import io.spikestream.neural.NeuronSnapshot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One group's neurons stepped through the steps of event time in order, knowing nothing of Flink: a
 * step's input (its events' currents, summed per neuron in arrival order, or an override) goes to
 * the model's step, and the spikes come out as the step's {@link SpikeRecord}.
 *
 * <p>A group's output is that of its neurons stepped every step from step 0, with zero input in the
 * steps that received no events (idle steps). Idle steps cost nothing while no neuron can spike
 * without input ({@link Neuron#canSpikeWithoutInput}): {@link #step} skips them at once ({@link
 * Neuron#skipIdle}, lazy and exact in the model). When some neuron can (an ALIF whose threshold
 * falls faster than its voltage), the caller runs the next step as an idle step ({@link
 * #idleStep}), whose cost the model keeps to those neurons, and its spike record is emitted if any
 * neuron spiked; the Flink operator does so as soon as the watermark passes that step.
 *
 * <p>Not thread-safe: one task steps a group.
 */
public final class GroupStepper {

  /** No step has run: the neurons are at rest before step 0. */
  public static final long NONE = Long.MIN_VALUE;

  private static final int[] NO_INDICES = new int[0];
  private static final double[] NO_CURRENTS = new double[0];

  private final GroupConfig group;
  private final Neuron neuron;
  private final boolean emitVoltage;
  private long lastStep = NONE;

  /** The input of dense steps and a view of its memory; allocated by the first one. */
  private INDArray currentArray;

  private DoubleBuffer currentBuffer;

  /** The override of overridden steps and a view of its memory; allocated by the first one. */
  private INDArray overrideArray;

  private ByteBuffer forced;
  private byte[] noSpikes;

  /**
   * @param group the group, its model and shape
   * @param emitVoltage whether spike records carry the voltages after each step
   */
  public GroupStepper(GroupConfig group, boolean emitVoltage) {
    this.group = group;
    this.neuron = group.newNeuron();
    this.emitVoltage = emitVoltage;
  }

  /**
   * The last step run.
   *
   * @return its number, or {@link #NONE}
   */
  public long lastStep() {
    return lastStep;
  }

  /**
   * Whether the step after the last one must run even without input: some neuron could spike in it.
   *
   * @return true while some neuron can spike without input
   */
  public boolean needsIdleSteps() {
    return neuron.canSpikeWithoutInput();
  }

  /**
   * Runs a step that received events, after the idle steps since the last step run.
   *
   * @param step the step, after the last one run; if some neuron can spike without input, the very
   *     next one (run the idle steps before it with {@link #idleStep})
   * @param input the step's summed input, of the group's size
   * @return the step's spike record
   * @throws IllegalStateException if idle steps lie before {@code step} that must run one by one
   */
  public SpikeRecord step(long step, StepInput input) {
    long idle = lastStep == NONE ? step : step - lastStep - 1;
    if (idle < 0) {
      throw new IllegalStateException(
          "step " + step + " of group '" + group.id() + "' is not after its last, " + lastStep);
    }
    if (idle > 0) {
      // throws if a neuron could spike in them: they would have to run one by one
      neuron.skipIdle(idle);
    }
    int[] spiked;
    if (input.overridden) {
      ((ExactNeuron) neuron).forward(null, overrideOf(input));
      spiked = neuron.spikedIndices();
    } else if (input.dense != null) {
      neuron.forward(currentsOf(input));
      spiked = neuron.spikedIndices();
    } else {
      // zero but where the step's sparse events were: the neuron sums them in arrival order
      spiked =
          input.sparseCount == 0
              ? neuron.forwardSparse(NO_INDICES, NO_CURRENTS, 0)
              : neuron.forwardSparse(input.sparseIndex, input.sparseCurrent, input.sparseCount);
    }
    lastStep = step;
    return record(step, spiked);
  }

  /**
   * Runs the step after the last one with zero input, costing the neurons that could spike.
   *
   * @return its spike record if a neuron spiked, else null
   */
  public SpikeRecord idleStep() {
    long step = lastStep == NONE ? 0 : lastStep + 1;
    int[] spiked = neuron.forwardSparse(NO_INDICES, NO_CURRENTS, 0);
    lastStep = step;
    return spiked.length == 0 ? null : record(step, spiked);
  }

  private SpikeRecord record(long step, int[] spiked) {
    float[] voltage = emitVoltage ? neuron.voltage().data().asFloat() : null;
    return new SpikeRecord(group.id(), step, group.stepStart(step), spiked, voltage);
  }

  /**
   * The neurons' state after the last step.
   *
   * @return an immutable snapshot
   */
  public NeuronSnapshot snapshot() {
    return neuron.snapshot();
  }

  /**
   * Puts back the state of a group at a step.
   *
   * @param snapshot the neurons' state after {@code lastStep}; null for neurons at rest
   * @param lastStep the last step run, or {@link #NONE}
   * @throws IllegalArgumentException if the snapshot is of another model or batched shape
   */
  public void restore(NeuronSnapshot snapshot, long lastStep) {
    if (snapshot != null) {
      neuron.restore(snapshot);
    } else {
      neuron.clear();
    }
    this.lastStep = lastStep;
  }

  /** A dense step's summed currents as the neuron's input array, in nA. */
  private INDArray currentsOf(StepInput input) {
    if (currentArray == null) {
      currentArray = Nd4j.create(DataType.DOUBLE, group.batchedShape(), 'c');
      currentBuffer = currentArray.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
    currentBuffer.put(0, input.dense);
    return currentArray;
  }

  /** An overridden step's override as the neuron's override array: 1 where forced. */
  private INDArray overrideOf(StepInput input) {
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
}
