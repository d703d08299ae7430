package io.spikestream.neural;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A group of neurons with a common mode of dynamics, simulated one step at a time: the JVM
 * counterpart of Inferno's {@code Neuron}.
 *
 * <p>A group has a shape (without the batch dimension), a batch size B, and so a batched shape
 * {@code [B, N...]} that every state array and every input of {@link #forward} has. Voltages are in
 * millivolts (mV), refractory periods and the step time in milliseconds (ms), input currents in
 * nanoamperes (nA).
 *
 * <p>Instances are not thread-safe: one thread steps a neuron group.
 */
public abstract class Neuron {

  /** The most neurons (batch included) that one group may hold: the limit of a Java buffer. */
  public static final long MAX_NEURONS = Integer.MAX_VALUE - 8;

  private final long[] shape;
  private final long count;
  private int batchSize;

  /**
   * Creates the shape part of a neuron group.
   *
   * @param shape the group's shape without the batch dimension, N...; each size > 0; may be empty
   *     (a single neuron)
   * @param batchSize the batch size, B; > 0
   * @throws IllegalArgumentException naming the bad argument ({@code 'shape[0]' of 0 must be
   *     positive}, {@code 'batch_size' of 0 must be positive}) or a group too large to hold
   */
  protected Neuron(long[] shape, int batchSize) {
    if (shape == null) {
      throw new IllegalArgumentException("'shape' must not be null");
    }
    long product = 1;
    for (int i = 0; i < shape.length; i++) {
      Checks.positive("shape[" + i + "]", shape[i]);
      product = multiplyWithinLimit(product, shape[i], shape);
    }
    this.shape = shape.clone();
    this.count = product;
    this.batchSize = (int) Checks.positive("batch_size", batchSize);
    multiplyWithinLimit(count, batchSize, shape);
  }

  private static long multiplyWithinLimit(long a, long b, long[] shape) {
    if (a > MAX_NEURONS / b) {
      throw new IllegalArgumentException(
          "a group of shape "
              + Checks.tuple(shape)
              + " and its batch hold more than "
              + MAX_NEURONS
              + " neurons");
    }
    return a * b;
  }

  /**
   * Shape of the group of neurons, without the batch dimension.
   *
   * @return a copy of the shape, N...
   */
  public final long[] shape() {
    return shape.clone();
  }

  /**
   * Number of neurons in the group, without the batch: the product of the shape, 1 for an empty
   * shape.
   *
   * @return the neuron count
   */
  public final long count() {
    return count;
  }

  /**
   * Batch size of the simulation: how many independent copies of the group are stepped together.
   *
   * @return B, > 0
   */
  public final int batchSize() {
    return batchSize;
  }

  /**
   * Changes the batch size. The state arrays are reallocated at the new batched shape in the
   * resting state (unlike the reference, which keeps them at the old size), so {@link #spike},
   * {@link #voltage} and {@link #refrac} always have {@link #batchedShape}. Setting the current
   * batch size again changes nothing.
   *
   * @param batchSize the new batch size, B; > 0
   * @throws IllegalArgumentException {@code 'batchsz' of 0 must be positive}
   */
  public final void setBatchSize(int batchSize) {
    Checks.positive("batchsz", batchSize);
    multiplyWithinLimit(count, batchSize, shape);
    if (batchSize != this.batchSize) {
      this.batchSize = batchSize;
      reallocate();
    }
  }

  /**
   * Shape of the state arrays and of the inputs: the batch size followed by the shape.
   *
   * @return a new array {@code [B, N...]}
   */
  public final long[] batchedShape() {
    long[] batched = new long[shape.length + 1];
    batched[0] = batchSize;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    return batched;
  }

  /**
   * Checks that an array has this group's batched shape.
   *
   * @param name the argument's display name, for example {@code inputs}
   * @param array the array to check
   * @return {@code array}
   * @throws IllegalArgumentException naming the argument, its shape and the batched shape
   */
  protected final INDArray requireBatchedShape(String name, INDArray array) {
    if (array == null) {
      throw new IllegalArgumentException("'" + name + "' must not be null");
    }
    long[] expected = batchedShape();
    if (!Arrays.equals(array.shape(), expected)) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' of shape "
              + Checks.tuple(array.shape())
              + " must have the batched shape "
              + Checks.tuple(expected));
    }
    return array;
  }

  /** Reallocates the state arrays, in the resting state, after the batch size changed. */
  protected abstract void reallocate();

  /**
   * Length of the simulation time step, Δt.
   *
   * @return the step time in ms, > 0
   */
  public abstract double dt();

  /**
   * Sets the length of the simulation time step.
   *
   * @param dt the new step time, Δt, in ms; > 0
   * @throws IllegalArgumentException {@code 'dt' of 0.0 must be positive}
   */
  public abstract void setDt(double dt);

  /**
   * Membrane voltages.
   *
   * @return voltages in mV, {@code [B, N...]}
   */
  public abstract INDArray voltage();

  /**
   * Sets the membrane voltages, where the model keeps them.
   *
   * @param voltage voltages in mV, {@code [B, N...]}
   */
  public abstract void setVoltage(INDArray voltage);

  /**
   * Remaining refractory periods.
   *
   * @return refractory periods in ms, {@code [B, N...]}
   */
  public abstract INDArray refrac();

  /**
   * Sets the remaining refractory periods, where the model keeps them.
   *
   * @param refrac refractory periods in ms, {@code [B, N...]}
   */
  public abstract void setRefrac(INDArray refrac);

  /**
   * Action potentials generated by the last step.
   *
   * @return BOOL, {@code [B, N...]}: true where a neuron spiked
   */
  public abstract INDArray spike();

  /** Resets the neurons to their resting state. */
  public abstract void clear();

  /**
   * Runs one simulation step of the neuronal dynamics.
   *
   * @param inputs presynaptic currents, I(t), in nA, {@code [B, N...]}
   * @return the spikes of this step, BOOL, {@code [B, N...]}
   */
  public abstract INDArray forward(INDArray inputs);

  /**
   * The hyperparameters shown inside {@link #toString}, as the reference's {@code extra_repr}.
   *
   * @return for example {@code shape=(3, 4), batchsz=2, dt=1.0}
   */
  public String extraRepr() {
    return "shape=" + Checks.tuple(shape) + ", batchsz=" + batchSize + ", dt=" + Checks.repr(dt());
  }

  /**
   * Prints as the reference does.
   *
   * @return for example {@code ExactNeuron(shape=(3, 4), batchsz=2, dt=1.0)}
   */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + extraRepr() + ")";
  }
}
