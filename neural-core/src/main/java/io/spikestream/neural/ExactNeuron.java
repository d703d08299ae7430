package io.spikestream.neural;

import java.nio.ByteBuffer;
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

  private double stepTime;
  private final double restV;
  private final double threshV;

  /** Action potentials of the last step, BOOL, c-ordered {@code [B, N...]}. */
  private INDArray spikeBuffer;

  /** A direct view of {@link #spikeBuffer}'s memory, one byte per neuron, for Java-side reads. */
  private ByteBuffer spikeBytes;

  /**
   * Zeros to clear the whole spike buffer with, for a sparse step after a full step or a restore;
   * allocated on first use.
   */
  private byte[] silence;

  /**
   * The neurons whose spike bytes are set, when known: the first {@link #setCount} entries, after a
   * sparse step or a clear; {@code setCount < 0} after a full step or a restore. A sparse step then
   * clears just those bytes: the whole buffer was most of the memory that a step with a few events
   * touched.
   */
  private int[] setSpikes = new int[8];

  private int setCount;

  /** Sparse steps of at most this many currents sum them without {@link #sparseSums}. */
  private static final int SMALL_SPARSE_STEP = 16;

  /**
   * Per-neuron sums of a sparse step's currents, all zero between steps; allocated by the first
   * sparse step that lists more than {@link #SMALL_SPARSE_STEP} currents.
   */
  private double[] sparseSums;

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
    spikeBuffer = Nd4j.create(DataType.BOOL, batchedShape(), 'c');
    // little-endian: byte i of an 8-byte word is neuron word*8 + i, in bits 8i..8i+7
    spikeBytes = spikeBuffer.data().asNio().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    kernel = new SpikeKernel(spikeBuffer);
    setCount = 0; // a new buffer is all zeros
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
    int n = spikeBytes.capacity();
    for (int i = 0; i < n; i++) {
      values.put(i, spikeBytes.get(i) != 0 ? thresh : rest);
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
   * #restore} overwrites it. Call {@code dup()} to keep a step's spikes; do not write to it, it is
   * the neuron's state.
   *
   * @return BOOL, {@code [B, N...]}
   */
  @Override
  public INDArray spike() {
    return spikeBuffer;
  }

  @Override
  public void clear() {
    spikeBuffer.assign(false);
    setCount = 0;
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
    setCount = -1;
    return spikeBuffer;
  }

  /**
   * Runs one step whose input currents are zero except at listed neurons: neuron {@code indices[j]}
   * receives {@code currents[j]}, and a neuron listed more than once the float64 sum of its
   * currents in list order, starting from 0. The spikes and state are those of {@link
   * #forward(INDArray) forward} over the dense input holding those sums; the cost is proportional
   * to {@code count} plus the spikes of the previous step, which it clears (the whole buffer after
   * a full step or a restore), not one comparison per neuron.
   *
   * <p>This is the step for streams of sparse events: it needs no input array of the group's size
   * and returns the spiking neurons as indices, as such a stream would emit them.
   *
   * @param indices flat c-order indices into the batched shape {@code [B, N...]}; repeats allowed
   * @param currents presynaptic currents, I(t), in nA, one per entry of {@code indices}
   * @param count how many entries of {@code indices} and {@code currents} to use, from the start
   * @return the flat indices of the neurons that spiked, ascending, without repeats: what {@link
   *     #spikedIndices()} returns after this step
   * @throws IllegalArgumentException if an array is null, {@code count} is out of {@code [0,
   *     min(indices.length, currents.length)]} or an index is out of range; the state is then
   *     unchanged
   */
  public int[] forwardSparse(int[] indices, double[] currents, int count) {
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
    int n = spikeBytes.capacity();
    for (int j = 0; j < count; j++) {
      if (indices[j] < 0 || indices[j] >= n) {
        throw new IllegalArgumentException(
            "index " + indices[j] + " is out of range [0, " + n + ")");
      }
    }
    if (setCount >= 0) {
      for (int j = 0; j < setCount; j++) {
        spikeBytes.put(setSpikes[j], (byte) 0);
      }
    } else {
      if (silence == null || silence.length != n) {
        silence = new byte[n];
      }
      spikeBytes.put(0, silence);
    }
    setCount = 0;
    if (count == 1) {
      // NaN, 0 and -0.0 are not positive, as in forward
      if (currents[0] > 0) {
        spikeBytes.put(indices[0], (byte) 1);
        setSpikes[0] = indices[0];
        setCount = 1;
        return new int[] {indices[0]};
      }
      return new int[0];
    }
    int[] spiked = new int[count];
    int spiking = 0;
    if (count <= SMALL_SPARSE_STEP) {
      // each neuron's sum at its first listing, from its later ones: no memory of the group's
      // size to touch, which is what a step with few events would otherwise mostly wait for
      for (int j = 0; j < count; j++) {
        int i = indices[j];
        if (listedBefore(indices, j)) {
          continue;
        }
        double sum = 0.0;
        for (int k = j; k < count; k++) {
          if (indices[k] == i) {
            sum += currents[k];
          }
        }
        if (sum > 0) {
          spikeBytes.put(i, (byte) 1);
          spiked[spiking++] = i;
        }
      }
    } else {
      if (sparseSums == null || sparseSums.length != n) {
        sparseSums = new double[n];
      }
      for (int j = 0; j < count; j++) {
        sparseSums[indices[j]] += currents[j];
      }
      for (int j = 0; j < count; j++) {
        int i = indices[j];
        if (sparseSums[i] > 0 && spikeBytes.get(i) == 0) {
          spikeBytes.put(i, (byte) 1);
          spiked[spiking++] = i;
        }
      }
      for (int j = 0; j < count; j++) {
        sparseSums[indices[j]] = 0.0;
      }
    }
    Arrays.sort(spiked, 0, spiking);
    if (setSpikes.length < spiking) {
      setSpikes = new int[Math.max(spiking, 2 * setSpikes.length)];
    }
    System.arraycopy(spiked, 0, setSpikes, 0, spiking);
    setCount = spiking;
    return Arrays.copyOf(spiked, spiking);
  }

  private static boolean listedBefore(int[] indices, int j) {
    for (int k = 0; k < j; k++) {
      if (indices[k] == indices[j]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Indices of the neurons that spiked in the last step, in ascending order.
   *
   * @return flat c-order indices into the batched shape {@code [B, N...]}
   */
  public int[] spikedIndices() {
    long[] words = packSpikes();
    int spiking = 0;
    for (long word : words) {
      spiking += Long.bitCount(word);
    }
    int[] indices = new int[spiking];
    int k = 0;
    for (int w = 0; w < words.length; w++) {
      for (long word = words[w]; word != 0; word &= word - 1) {
        indices[k++] = (w << 6) + Long.numberOfTrailingZeros(word);
      }
    }
    return indices;
  }

  /**
   * Captures the persistent state, the spike buffer, bit-packed.
   *
   * @return an immutable snapshot of the spikes, with the batched shape they belong to
   */
  public SpikeSnapshot snapshot() {
    return SpikeSnapshot.owning(batchedShape(), packSpikes());
  }

  /**
   * The spike buffer as bits, neuron i in bit {@code i % 64} of word {@code i / 64}. Reads eight
   * neurons at a time and skips all-silent runs: most neurons do not spike in most steps.
   */
  private long[] packSpikes() {
    int n = spikeBytes.capacity();
    long[] words = new long[SpikeSnapshot.wordsFor(n)];
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long eight = spikeBytes.getLong(i);
      if (eight != 0) {
        // each nonzero byte to 1 in its low bit, then the eight low bits gathered into one
        // byte by a multiplication (byte b to bit b), shifted to the neurons' place in the word
        long ones =
            (((eight & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL | eight) & 0x8080808080808080L)
                >>> 7;
        long bits = (ones * 0x0102040810204080L) >>> 56;
        words[i >>> 6] |= bits << (i & 63);
      }
    }
    for (; i < n; i++) {
      if (spikeBytes.get(i) != 0) {
        words[i >>> 6] |= 1L << i;
      }
    }
    return words;
  }

  /**
   * Replaces the spike buffer with a snapshot's.
   *
   * @param snapshot spikes taken from a neuron of the same batched shape
   * @throws IllegalArgumentException if the snapshot's batched shape differs from this neuron's;
   *     the state is then unchanged
   */
  public void restore(SpikeSnapshot snapshot) {
    if (snapshot == null) {
      throw new IllegalArgumentException("'snapshot' must not be null");
    }
    if (!Arrays.equals(snapshot.batchedShape(), batchedShape())) {
      throw new IllegalArgumentException(
          "a spike snapshot of batched shape "
              + Checks.tuple(snapshot.batchedShape())
              + " cannot be restored into "
              + this
              + " of batched shape "
              + Checks.tuple(batchedShape()));
    }
    int n = spikeBytes.capacity();
    for (int i = 0; i < n; i++) {
      spikeBytes.put(i, snapshot.isSpike(i) ? (byte) 1 : (byte) 0);
    }
    setCount = -1;
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
