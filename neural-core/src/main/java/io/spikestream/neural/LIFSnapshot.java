package io.spikestream.neural;

/**
 * The state of a {@link LIF} group: the spikes of its last step, bit-packed, and its membrane
 * voltages and remaining refractory periods as float32, c-ordered over the batched shape {@code [B,
 * N...]}. Immutable; taken with every lazily idle neuron caught up to the last step.
 */
public final class LIFSnapshot extends NeuronSnapshot {

  private static final String NOUN = "LIF snapshot";

  private final float[] voltage;
  private final float[] refrac;

  /**
   * @param batchedShape the batched shape {@code [B, N...]}; each size > 0
   * @param words the bit-packed spikes, {@link #wordsFor}(product of the shape) words
   * @param voltage membrane voltages in mV, one per neuron
   * @param refrac remaining refractory periods in ms, one per neuron
   * @throws IllegalArgumentException if the shape is invalid or an array does not fit it
   */
  public LIFSnapshot(long[] batchedShape, long[] words, float[] voltage, float[] refrac) {
    this(
        batchedShape == null ? null : batchedShape.clone(),
        words == null ? null : words.clone(),
        voltage == null ? null : voltage.clone(),
        refrac == null ? null : refrac.clone(),
        true);
  }

  private LIFSnapshot(
      long[] batchedShape, long[] words, float[] voltage, float[] refrac, boolean owned) {
    super(NOUN, batchedShape, words);
    this.voltage = requireLength(NOUN, "voltage", voltage, size());
    this.refrac = requireLength(NOUN, "refrac", refrac, size());
  }

  /** Wraps fresh arrays without copying them. */
  static LIFSnapshot owning(long[] batchedShape, long[] words, float[] voltage, float[] refrac) {
    return new LIFSnapshot(batchedShape, words, voltage, refrac, true);
  }

  /**
   * @return {@code LIF}
   */
  @Override
  public String model() {
    return "LIF";
  }

  /**
   * @return a copy of the membrane voltages in mV, c-ordered {@code [B, N...]}
   */
  public float[] voltage() {
    return voltage.clone();
  }

  /**
   * @return a copy of the remaining refractory periods in ms, c-ordered {@code [B, N...]}
   */
  public float[] refrac() {
    return refrac.clone();
  }

  float[] sharedVoltage() {
    return voltage;
  }

  float[] sharedRefrac() {
    return refrac;
  }

  /**
   * Equal model, shape and spikes, and voltages and refractory periods bit for bit, any NaN equal
   * to any NaN.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof LIFSnapshot that
        && sameBase(that)
        && sameBits(voltage, that.voltage)
        && sameBits(refrac, that.refrac);
  }

  @Override
  public int hashCode() {
    return (31 * baseHash() + bitsHash(voltage)) * 31 + bitsHash(refrac);
  }

  @Override
  public String toString() {
    return "LIFSnapshot(batched_shape="
        + Checks.tuple(sharedShape())
        + ", spikes="
        + spikeCount()
        + ")";
  }
}
