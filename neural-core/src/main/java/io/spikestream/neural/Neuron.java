package io.spikestream.neural;

import java.util.Arrays;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A group of neurons with a common mode of dynamics, simulated one step at a time: the JVM
 * counterpart of Inferno's {@code Neuron}.
 *
 * <p>A group has a shape (without the batch dimension), a batch size B, and so a batched shape
 * {@code [B, N...]} that every state array and every input of {@link #forward} has. Voltages are in
 * millivolts (mV), refractory periods and the step time in milliseconds (ms), input currents in
 * nanoamperes (nA).
 *
 * <p>Beyond Inferno, every model offers what a stream of sparse events needs: {@link
 * #forwardSparse} steps a group whose input is zero except at a few neurons, in time proportional
 * to those neurons; {@link #skipIdle} advances any number of zero-input steps in O(1) when {@link
 * #canSpikeWithoutInput} says none of them can spike; {@link #snapshot} and {@link #restore} carry
 * the whole state, for example into Flink managed state through {@link NeuronSnapshotSerializer}. A
 * group stepped that way is exactly, bit for bit, the group stepped every step with zero input in
 * the steps between.
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
    // ND4J looks its services up through the class loader that was the thread's context loader
    // when it first ran; in a host that gives each job a class loader of its own and closes it
    // with the job (Flink), a later job's ND4J would look through a closed one
    ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
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
      beforeBatchSizeChange();
      this.batchSize = batchSize;
      reallocate();
    }
  }

  /**
   * Called before the batch size changes, with the old batch size still in place: a model whose
   * state outlives the change (ALIF's adaptations) brings it up to date here. Does nothing unless
   * overridden.
   */
  protected void beforeBatchSizeChange() {}

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

  /**
   * Checks the arguments of {@link #forwardSparse}, so that a rejected step changes nothing.
   *
   * @param indices flat c-order indices into the batched shape
   * @param currents currents, one per index
   * @param count how many entries to use
   * @throws IllegalArgumentException if an array is null, {@code count} is out of {@code [0,
   *     min(indices.length, currents.length)]} or one of the first {@code count} indices is out of
   *     range
   */
  protected final void requireSparseArguments(int[] indices, double[] currents, int count) {
    if (indices == null || currents == null) {
      throw new IllegalArgumentException(
          "'" + (indices == null ? "indices" : "currents") + "' must not be null");
    }
    if (count < 0 || count > Math.min(indices.length, currents.length)) {
      throw new IllegalArgumentException(
          "'count' of "
              + count
              + " is out of range [0, "
              + Math.min(indices.length, currents.length)
              + "]");
    }
    long n = count() * batchSize;
    for (int j = 0; j < count; j++) {
      if (indices[j] < 0 || indices[j] >= n) {
        throw new IllegalArgumentException(
            "index " + indices[j] + " is out of range [0, " + n + ")");
      }
    }
  }

  /**
   * Checks that a snapshot belongs to this group's model and batched shape.
   *
   * @param snapshot the snapshot to restore
   * @param model the snapshot class this model restores
   * @return the snapshot, cast
   * @throws IllegalArgumentException naming both models or both batched shapes
   */
  protected final <S extends NeuronSnapshot> S requireRestorable(
      NeuronSnapshot snapshot, Class<S> model) {
    if (snapshot == null) {
      throw new IllegalArgumentException("'snapshot' must not be null");
    }
    if (!model.isInstance(snapshot) || !Arrays.equals(snapshot.batchedShape(), batchedShape())) {
      throw new IllegalArgumentException(
          NeuronSnapshot.withArticle(snapshot.model())
              + " snapshot of batched shape "
              + Checks.tuple(snapshot.batchedShape())
              + " cannot be restored into "
              + this
              + " of batched shape "
              + Checks.tuple(batchedShape()));
    }
    return model.cast(snapshot);
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
   * Runs one step whose input currents are zero except at listed neurons: neuron {@code indices[j]}
   * receives {@code currents[j]}, and a neuron listed more than once the float64 sum of its
   * currents in list order, starting from 0.0. The spikes and state are those of {@link
   * #forward(INDArray) forward} over the dense input holding those sums (models that compute in
   * float32 round each sum to float32 once). The cost is proportional to {@code count}, plus the
   * neurons that can spike without input (see {@link #canSpikeWithoutInput}) and the zero-input
   * steps that listed neurons still have to catch up on; never a pass over the whole group.
   *
   * <p>This is the step for streams of sparse events: it needs no input array of the group's size
   * and returns the spiking neurons as indices, as such a stream would emit them. With {@code
   * count} 0 it is an explicit zero-input step.
   *
   * @param indices flat c-order indices into the batched shape {@code [B, N...]}; repeats allowed
   * @param currents presynaptic currents, I(t), in nA, one per entry of {@code indices}
   * @param count how many entries of {@code indices} and {@code currents} to use, from the start
   * @return the flat indices of the neurons that spiked, ascending, without repeats, in a new
   *     array: what {@link #spikedIndices()} returns after this step
   * @throws IllegalArgumentException if an array is null, {@code count} is out of {@code [0,
   *     min(indices.length, currents.length)]} or an index is out of range; the state is then
   *     unchanged
   */
  public abstract int[] forwardSparse(int[] indices, double[] currents, int count);

  /**
   * Indices of the neurons that spiked in the last step, in ascending order.
   *
   * @return flat c-order indices into the batched shape {@code [B, N...]}, in a new array
   */
  public abstract int[] spikedIndices();

  /**
   * Whether some neuron could spike in a coming zero-input step. Sound: when it says false, no
   * number of zero-input steps from the present state spikes, so {@link #skipIdle} may jump over
   * them. It may say true where no spike would come (each model's documentation gives its
   * argument).
   *
   * @return true if some zero-input step from now might spike
   */
  public abstract boolean canSpikeWithoutInput();

  /**
   * Advances {@code steps} zero-input steps in O(1): neurons catch up on them, exactly, when next
   * touched (by a step, a read of their state or a snapshot). Afterwards {@link #spike} holds no
   * spike if {@code steps > 0}; 0 steps change nothing.
   *
   * @param steps how many zero-input steps to advance, >= 0
   * @throws IllegalArgumentException {@code 'steps' of -1 must be nonnegative}
   * @throws IllegalStateException if {@code steps > 0} and {@link #canSpikeWithoutInput()}; nothing
   *     then changes
   */
  public abstract void skipIdle(long steps);

  /**
   * Captures the whole state as of the last step (neurons behind on idle steps caught up first).
   *
   * @return an immutable snapshot naming this model and batched shape
   */
  public abstract NeuronSnapshot snapshot();

  /**
   * Replaces the whole state with a snapshot's.
   *
   * @param snapshot taken from a group of the same model and batched shape
   * @throws IllegalArgumentException if the snapshot is of another model or batched shape (both
   *     named); the state is then unchanged
   */
  public abstract void restore(NeuronSnapshot snapshot);

  /**
   * The message of {@link #skipIdle}'s refusal.
   *
   * @param hot how many neurons could spike without input
   * @param example the flat index of one of them
   * @return a message naming the group, the count and the neuron
   */
  protected final String cannotSkipMessage(long hot, long example) {
    return "cannot skip idle steps: "
        + this
        + " can spike without input ("
        + hot
        + (hot == 1 ? " neuron" : " neurons")
        + ", for example flat index "
        + example
        + ")";
  }

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
