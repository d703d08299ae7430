package io.spikestream.neural;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A neuron whose spikes are exactly its input's sign, useful for predictable outputs: the JVM
 * counterpart of Inferno's {@code ExactNeuron}.
 *
 * <p>Update rule, for each neuron of the batched shape {@code [B, N...]}:
 *
 * <pre>
 *   spike[t]   = override[t] != 0    if an override is given
 *              = I[t] > 0            otherwise
 *   voltage[t] = thresh_v  where spike[t],  rest_v elsewhere   (float32, mV)
 *   refrac[t]  = 0                                            (float32, ms)
 * </pre>
 *
 * Unlike in a real neuron model, {@code rest_v} and {@code thresh_v} control no dynamics: they only
 * present the membrane voltage. The spike buffer is the only persistent state; voltage and refrac
 * are derived from it, so their setters do nothing. {@link #snapshot} and {@link #restore} carry
 * that state, for example into Flink managed state through {@link SpikeSnapshotSerializer}.
 *
 * <p>Two faults of the reference are fixed: an input or override whose shape is not the batched
 * shape is rejected (the reference silently replaces its spike buffer with the wrong shape), and
 * {@link #setBatchSize} reallocates the spike buffer (the reference keeps the old batch size).
 *
 * <p>Build one with {@link #builder()}:
 *
 * <pre>{@code
 * ExactNeuron neuron = ExactNeuron.builder()
 *     .shape(3, 4).stepTime(1.0).restV(-65.0).threshV(-50.0).batchSize(2).build();
 * }</pre>
 */
public final class ExactNeuron extends Neuron {

  private static final int[] NO_SPIKES = new int[0];

  /**
   * Sparse steps of at most this many entries are summed without the table ({@link SparseInput}).
   */
  private static final int FEW = 8;

  private double stepTime;
  private final double restV;
  private final double threshV;

  /** Action potentials of the last step, c-ordered {@code [B, N...]}. */
  private SpikeBuffer spikes;

  /**
   * One bit per neuron, all zero between steps: where a large sparse step puts its spiking neurons
   * in order ({@link #ascending}); allocated by the first such step.
   */
  private long[] order;

  private SpikeKernel kernel;

  private ExactNeuron(Builder builder) {
    super(builder.shape, builder.batchSize);
    this.stepTime = Checks.positive("step_time", builder.stepTime);
    this.restV = Checks.lessThan("rest_v", builder.restV, "thresh_v", builder.threshV);
    this.threshV = builder.threshV;
    reallocate();
  }

  /**
   * Starts building an ExactNeuron; shape, step time, rest and threshold voltage are required, the
   * batch size defaults to 1.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void reallocate() {
    spikes = new SpikeBuffer(batchedShape());
    kernel = new SpikeKernel(spikes.arrayToOverwrite());
  }

  /**
   * Membrane voltage at equilibrium, V<sub>rest</sub>.
   *
   * @return rest_v in mV
   */
  public double restV() {
    return restV;
  }

  /**
   * Membrane voltage shown where a neuron spiked, V<sub>thresh</sub>.
   *
   * @return thresh_v in mV, > rest_v
   */
  public double threshV() {
    return threshV;
  }

  @Override
  public double dt() {
    return stepTime;
  }

  @Override
  public void setDt(double dt) {
    this.stepTime = Checks.positive("dt", dt);
  }

  /**
   * Membrane voltages derived from the last step's spikes: {@code (float) thresh_v} where a neuron
   * spiked, {@code (float) rest_v} elsewhere, exactly.
   *
   * @return a new FLOAT array in mV, {@code [B, N...]}
   */
  @Override
  public INDArray voltage() {
    INDArray voltage = Nd4j.createUninitialized(DataType.FLOAT, batchedShape(), 'c');
    FloatBuffer values = voltage.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    float thresh = (float) threshV;
    float rest = (float) restV;
    int n = spikes.size();
    for (int i = 0; i < n; i++) {
      values.put(i, rest);
    }
    for (int i : spikes.indices()) {
      values.put(i, thresh);
    }
    return voltage;
  }

  /**
   * Does nothing: an ExactNeuron derives its voltage from its spikes.
   *
   * @param voltage ignored
   */
  @Override
  public void setVoltage(INDArray voltage) {}

  /**
   * Refractory periods, always zero: an ExactNeuron has no refractory period.
   *
   * @return a new FLOAT array of zeros in ms, {@code [B, N...]}
   */
  @Override
  public INDArray refrac() {
    return Nd4j.zeros(DataType.FLOAT, batchedShape());
  }

  /**
   * Does nothing: an ExactNeuron has no refractory period.
   *
   * @param refrac ignored
   */
  @Override
  public void setRefrac(INDArray refrac) {}

  /**
   * The spike buffer itself, not a copy: the next {@link #forward}, {@link #clear} or {@link
   * #restore} overwrites it, and a sparse step brings it up to date only when this is next called,
   * so call it again after each step rather than keep the array. Call {@code dup()} to keep a
   * step's spikes; do not write to it, it is the neuron's state.
   *
   * @return BOOL, {@code [B, N...]}
   */
  @Override
  public INDArray spike() {
    return spikes.array();
  }

  @Override
  public void clear() {
    spikes.clear();
  }

  /**
   * Runs one step: neurons spike where the input current is positive.
   *
   * @param inputs presynaptic currents, I(t), in nA, {@code [B, N...]}; any numeric data type
   *     (float32, float64, integers) or BOOL, any ordering or view
   * @return the spike buffer, BOOL, {@code [B, N...]}, overwritten by the next step (see {@link
   *     #spike})
   * @throws IllegalArgumentException if {@code inputs} is null, not numeric, or not of the batched
   *     shape; the state is then unchanged
   */
  @Override
  public INDArray forward(INDArray inputs) {
    return forward(inputs, null);
  }

  /**
   * Runs one step whose spikes may be forced.
   *
   * @param inputs presynaptic currents, I(t), in nA, {@code [B, N...]}; ignored when an override is
   *     given (then it may be null)
   * @param override the spikes of this step, {@code [B, N...]}: BOOL, or numeric where nonzero (NaN
   *     included) means a spike; null for none
   * @return the spike buffer, BOOL, {@code [B, N...]}, overwritten by the next step
   * @throws IllegalArgumentException if an array given is not numeric or not of the batched shape,
   *     or both are null; the state is then unchanged
   */
  public INDArray forward(INDArray inputs, INDArray override) {
    if (override == null || inputs != null) {
      requireBatchedShape("inputs", inputs);
      SpikeKernel.requireNumeric("inputs", inputs);
    }
    if (override != null) {
      requireBatchedShape("override", override);
      SpikeKernel.requireNumeric("override", override);
      kernel.nonzero(override);
    } else {
      kernel.positive(inputs);
    }
    spikes.markFull();
    return spikes.array();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here a neuron spikes where its summed current is positive (NaN, 0 and -0.0 are not), and the
   * step costs the listed entries plus clearing the spikes the previous sparse step set: no input
   * array of the group's size and no native call. The spike bytes of {@link #spike} are brought up
   * to date by its next read.
   */
  @Override
  public int[] forwardSparse(int[] indices, double[] currents, int count) {
    requireSparseArguments(indices, currents, count);
    if (count <= FEW) {
      return forwardFew(indices, currents, count);
    }
    SparseInput sparse = SparseInput.ofThisThread();
    sparse.load(indices, currents, count);
    int[] spiked = new int[sparse.distinct()];
    int spiking = 0;
    for (int k = 0; k < sparse.distinct(); k++) {
      if (sparse.sum(k) > 0) {
        spiked[spiking++] = sparse.neuron(k);
      }
    }
    sparse.clear();
    ascending(spiked, spiking);
    spikes.setSparse(spiked, spiking);
    return Arrays.copyOf(spiked, spiking);
  }

  /**
   * {@link #forwardSparse} of a few entries, each neuron's sum taken at its first entry by a scan
   * of the later ones, in entry order from 0.0 as the summing table adds them: at a few entries the
   * scan costs less than the table's hashing and emptying (the activity input replayed without
   * Flink, 1 to 5 events per step: 77-99 ns per step, 303-385 through the table).
   */
  private int[] forwardFew(int[] indices, double[] currents, int count) {
    int[] spiked = count == 0 ? NO_SPIKES : new int[count];
    int spiking = 0;
    next:
    for (int j = 0; j < count; j++) {
      int neuron = indices[j];
      for (int i = 0; i < j; i++) {
        if (indices[i] == neuron) {
          continue next; // summed at its first entry
        }
      }
      double sum = 0.0;
      for (int i = j; i < count; i++) {
        if (indices[i] == neuron) {
          sum += currents[i];
        }
      }
      if (sum > 0) {
        spiked[spiking++] = neuron;
      }
    }
    SpikeBuffer.sortAscending(spiked, spiking);
    spikes.setSparse(spiked, spiking); // copies: the caller owns the array returned
    return spiking == spiked.length ? spiked : Arrays.copyOf(spiked, spiking);
  }

  /**
   * Puts distinct neuron indices in ascending order: by a sort for a few, and for many (a camera's
   * step spikes thousands of neurons; a sort was a third of such a job's time) by marking them in a
   * bitmap of the group and reading it back in one pass over its words.
   */
  private void ascending(int[] neurons, int n) {
    int words = NeuronSnapshot.wordsFor(spikes.size());
    if (n < 2 || (long) n * 16 < words) {
      SpikeBuffer.sortAscending(neurons, n);
      return;
    }
    if (order == null || order.length != words) {
      order = new long[words];
    }
    for (int i = 0; i < n; i++) {
      order[neurons[i] >>> 6] |= 1L << neurons[i];
    }
    int k = 0;
    for (int w = 0; w < words && k < n; w++) {
      long word = order[w];
      if (word != 0) {
        order[w] = 0;
        int base = w << 6;
        do {
          neurons[k++] = base + Long.numberOfTrailingZeros(word);
          word &= word - 1;
        } while (word != 0);
      }
    }
  }

  @Override
  public int[] spikedIndices() {
    return spikes.indices();
  }

  /**
   * Always false: a neuron spikes only where its input is positive.
   *
   * @return false
   */
  @Override
  public boolean canSpikeWithoutInput() {
    return false;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An ExactNeuron has no dynamics, so this only drops the last step's spikes when {@code steps
   * > 0}, in time proportional to the spikes a sparse step set (O(1) after a dense step).
   */
  @Override
  public void skipIdle(long steps) {
    if (Checks.nonnegative("steps", steps) > 0) {
      spikes.clear();
    }
  }

  /**
   * Captures the persistent state, the spike buffer, bit-packed.
   *
   * @return an immutable snapshot of the spikes, with the batched shape they belong to
   */
  @Override
  public SpikeSnapshot snapshot() {
    return SpikeSnapshot.owning(batchedShape(), spikes.pack());
  }

  /**
   * Replaces the spike buffer with a snapshot's.
   *
   * @param snapshot spikes taken from an ExactNeuron of the same batched shape
   * @throws IllegalArgumentException if the snapshot is of another model or batched shape; the
   *     state is then unchanged
   */
  @Override
  public void restore(NeuronSnapshot snapshot) {
    spikes.restore(requireRestorable(snapshot, SpikeSnapshot.class));
  }

  /** Builds an {@link ExactNeuron}; every setter returns this builder. */
  public static final class Builder {
    private long[] shape;
    private Double stepTime;
    private Double restV;
    private Double threshV;
    private int batchSize = 1;

    private Builder() {}

    /**
     * @param shape the group's shape without the batch, N...; each size > 0; none for one neuron
     * @return this builder
     */
    public Builder shape(long... shape) {
      this.shape = shape == null ? null : shape.clone();
      return this;
    }

    /**
     * @param stepTime length of a simulation step, Δt, in ms; > 0
     * @return this builder
     */
    public Builder stepTime(double stepTime) {
      this.stepTime = stepTime;
      return this;
    }

    /**
     * @param restV membrane voltage at equilibrium, V<sub>rest</sub>, in mV; < threshV
     * @return this builder
     */
    public Builder restV(double restV) {
      this.restV = restV;
      return this;
    }

    /**
     * @param threshV membrane voltage shown where a neuron spiked, V<sub>thresh</sub>, in mV
     * @return this builder
     */
    public Builder threshV(double threshV) {
      this.threshV = threshV;
      return this;
    }

    /**
     * @param batchSize the batch size, B; > 0; default 1
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Validates the hyperparameters and allocates the neuron at rest.
     *
     * @return a new ExactNeuron
     * @throws IllegalArgumentException with the reference's wording, for example {@code 'step_time'
     *     of 0.0 must be positive} or {@code 'rest_v' (-40.0) must be less than 'thresh_v'
     *     (-50.0)}; an unset shape, step time or voltage is reported as missing
     */
    public ExactNeuron build() {
      requireSet("shape", shape);
      requireSet("step_time", stepTime);
      requireSet("rest_v", restV);
      requireSet("thresh_v", threshV);
      return new ExactNeuron(this);
    }

    private static void requireSet(String name, Object value) {
      if (value == null) {
        throw new IllegalArgumentException("'" + name + "' must be set");
      }
    }
  }
}
