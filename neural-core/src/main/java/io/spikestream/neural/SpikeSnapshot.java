package io.spikestream.neural;

/**
 * The state of an {@link ExactNeuron}: the spike buffer of its last step, bit-packed (its voltages
 * and refractory periods derive from the spikes). Immutable.
 */
public final class SpikeSnapshot extends NeuronSnapshot {

  private static final String NOUN = "spike snapshot";

  /**
   * @param batchedShape the batched shape {@code [B, N...]} the spikes belong to; each size > 0
   * @param words the bit-packed spikes, {@link #wordsFor}(product of the shape) words
   * @throws IllegalArgumentException if the shape is invalid, the word count does not fit it, or a
   *     bit past the last neuron is set
   */
  public SpikeSnapshot(long[] batchedShape, long[] words) {
    super(
        NOUN,
        batchedShape == null ? null : batchedShape.clone(),
        words == null ? null : words.clone());
  }

  /** Wraps fresh arrays without copying them (a snapshot per checkpoint would copy twice). */
  private SpikeSnapshot(long[] batchedShape, long[] words, boolean owned) {
    super(NOUN, batchedShape, words);
  }

  static SpikeSnapshot owning(long[] batchedShape, long[] words) {
    return new SpikeSnapshot(batchedShape, words, true);
  }

  /**
   * @return {@code ExactNeuron}
   */
  @Override
  public String model() {
    return "ExactNeuron";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpikeSnapshot that && sameBase(that);
  }

  @Override
  public int hashCode() {
    return baseHash();
  }

  @Override
  public String toString() {
    return "SpikeSnapshot(batched_shape="
        + Checks.tuple(sharedShape())
        + ", spikes="
        + spikeCount()
        + ")";
  }
}
