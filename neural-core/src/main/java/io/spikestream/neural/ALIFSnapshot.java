package io.spikestream.neural;

/**
 * The state of an {@link ALIF} group: the spikes of its last step, bit-packed; its membrane
 * voltages and remaining refractory periods as float32, c-ordered over the batched shape {@code [B,
 * N...]}; and its threshold adaptations as float32, c-ordered over {@code (N..., K)} (shared by the
 * batch). Immutable; taken with every lazily idle neuron caught up to the last step.
 */
public final class ALIFSnapshot extends NeuronSnapshot {

  private static final String NOUN = "ALIF snapshot";

  private final float[] voltage;
  private final float[] refrac;
  private final float[] adaptation;
  private final int adaptations;

  /**
   * @param batchedShape the batched shape {@code [B, N...]}; each size > 0
   * @param words the bit-packed spikes, {@link #wordsFor}(product of the shape) words
   * @param voltage membrane voltages in mV, one per neuron
   * @param refrac remaining refractory periods in ms, one per neuron
   * @param adaptations K, the number of adaptations per neuron; > 0
   * @param adaptation threshold adaptations in mV, {@code N... * K} values
   * @throws IllegalArgumentException if the shape is invalid or an array does not fit it
   */
  public ALIFSnapshot(
      long[] batchedShape,
      long[] words,
      float[] voltage,
      float[] refrac,
      int adaptations,
      float[] adaptation) {
    this(
        batchedShape == null ? null : batchedShape.clone(),
        words == null ? null : words.clone(),
        voltage == null ? null : voltage.clone(),
        refrac == null ? null : refrac.clone(),
        adaptations,
        adaptation == null ? null : adaptation.clone(),
        true);
  }

  private ALIFSnapshot(
      long[] batchedShape,
      long[] words,
      float[] voltage,
      float[] refrac,
      int adaptations,
      float[] adaptation,
      boolean owned) {
    super(NOUN, batchedShape, words);
    this.voltage = requireLength(NOUN, "voltage", voltage, size());
    this.refrac = requireLength(NOUN, "refrac", refrac, size());
    this.adaptations = (int) Checks.positive("adaptations", adaptations);
    long positions = size() / batchedShape[0];
    if (positions * adaptations > Neuron.MAX_NEURONS) {
      throw new IllegalArgumentException(
          "an ALIF snapshot of batched shape "
              + Checks.tuple(batchedShape)
              + " and "
              + adaptations
              + " adaptations holds more than "
              + Neuron.MAX_NEURONS
              + " adaptations");
    }
    this.adaptation =
        requireLength(NOUN, "threshold_adaptation", adaptation, positions * adaptations);
  }

  /** Wraps fresh arrays without copying them. */
  static ALIFSnapshot owning(
      long[] batchedShape,
      long[] words,
      float[] voltage,
      float[] refrac,
      int adaptations,
      float[] adaptation) {
    return new ALIFSnapshot(batchedShape, words, voltage, refrac, adaptations, adaptation, true);
  }

  /**
   * @return {@code ALIF}
   */
  @Override
  public String model() {
    return "ALIF";
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

  /**
   * @return K, the number of threshold adaptations of each neuron
   */
  public int adaptations() {
    return adaptations;
  }

  /**
   * @return a copy of the threshold adaptations in mV, c-ordered {@code (N..., K)}
   */
  public float[] thresholdAdaptation() {
    return adaptation.clone();
  }

  float[] sharedVoltage() {
    return voltage;
  }

  float[] sharedRefrac() {
    return refrac;
  }

  float[] sharedAdaptation() {
    return adaptation;
  }

  /**
   * Equal model, shapes and spikes, and every float32 value bit for bit, any NaN equal to any NaN.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ALIFSnapshot that
        && sameBase(that)
        && adaptations == that.adaptations
        && sameBits(voltage, that.voltage)
        && sameBits(refrac, that.refrac)
        && sameBits(adaptation, that.adaptation);
  }

  @Override
  public int hashCode() {
    return ((31 * baseHash() + bitsHash(voltage)) * 31 + bitsHash(refrac)) * 31
        + bitsHash(adaptation);
  }

  @Override
  public String toString() {
    return "ALIFSnapshot(batched_shape="
        + Checks.tuple(sharedShape())
        + ", adaptations="
        + adaptations
        + ", spikes="
        + spikeCount()
        + ")";
  }
}
