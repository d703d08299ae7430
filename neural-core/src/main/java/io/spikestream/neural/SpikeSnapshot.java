package io.spikestream.neural;

import java.util.Arrays;

/**
 * The spike buffer of a neuron group at one moment, bit-packed: the persistent state of an {@link
 * ExactNeuron}, as kept in Flink managed state.
 *
 * <p>Bit {@code i & 63} of word {@code i >>> 6} is the spike of the neuron at flat c-order index
 * {@code i} of the batched shape; bits past the last neuron are zero. Immutable.
 */
public final class SpikeSnapshot {

  private final long[] batchedShape;
  private final long[] words;
  private final int size;

  /**
   * @param batchedShape the batched shape {@code [B, N...]} the spikes belong to; each size > 0
   * @param words the bit-packed spikes, {@link #wordsFor}(product of the shape) words
   * @throws IllegalArgumentException if the shape is invalid, the word count does not fit it, or a
   *     bit past the last neuron is set
   */
  public SpikeSnapshot(long[] batchedShape, long[] words) {
    this(
        batchedShape == null ? null : batchedShape.clone(),
        words == null ? null : words.clone(),
        true);
  }

  /**
   * Wraps freshly made arrays without copying them: a neuron's snapshot and a deserialized one are
   * taken once per step or restore, so the copy would double their cost.
   */
  static SpikeSnapshot owning(long[] batchedShape, long[] words) {
    return new SpikeSnapshot(batchedShape, words, true);
  }

  /**
   * Validates and keeps the arrays as they are; {@code owned} only tells it from the public one.
   */
  private SpikeSnapshot(long[] batchedShape, long[] words, boolean owned) {
    if (batchedShape == null || batchedShape.length == 0) {
      throw new IllegalArgumentException(
          "'batched_shape' must have at least the batch dimension, got "
              + (batchedShape == null ? "null" : Checks.tuple(batchedShape)));
    }
    long product = 1;
    for (int i = 0; i < batchedShape.length; i++) {
      Checks.positive("batched_shape[" + i + "]", batchedShape[i]);
      if (product > Neuron.MAX_NEURONS / batchedShape[i]) {
        throw new IllegalArgumentException(
            "a spike snapshot of batched shape "
                + Checks.tuple(batchedShape)
                + " holds more than "
                + Neuron.MAX_NEURONS
                + " neurons");
      }
      product *= batchedShape[i];
    }
    this.size = (int) product;
    if (words == null || words.length != wordsFor(size)) {
      throw new IllegalArgumentException(
          "a spike snapshot of batched shape "
              + Checks.tuple(batchedShape)
              + " needs "
              + wordsFor(size)
              + " words, got "
              + (words == null ? "null" : words.length));
    }
    int tail = size & 63;
    if (tail != 0 && (words[words.length - 1] >>> tail) != 0) {
      throw new IllegalArgumentException(
          "a spike snapshot of " + size + " neurons has spikes set past its last neuron");
    }
    this.batchedShape = batchedShape;
    this.words = words;
  }

  /**
   * Number of 64-bit words that hold {@code neurons} bits.
   *
   * @param neurons the number of neurons, >= 0
   * @return ceil(neurons / 64)
   */
  public static int wordsFor(long neurons) {
    return (int) ((neurons + 63) >>> 6);
  }

  /**
   * @return a copy of the batched shape {@code [B, N...]}
   */
  public long[] batchedShape() {
    return batchedShape.clone();
  }

  /**
   * @return the number of neurons, batch included
   */
  public int size() {
    return size;
  }

  /**
   * @param index a flat c-order index into the batched shape, 0 <= index < size
   * @return whether that neuron spiked
   */
  public boolean isSpike(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of [0, " + size + ")");
    }
    return (words[index >>> 6] & (1L << index)) != 0;
  }

  /**
   * @return how many neurons spiked
   */
  public int spikeCount() {
    int count = 0;
    for (long word : words) {
      count += Long.bitCount(word);
    }
    return count;
  }

  /** The bit-packed words, shared: package-private so that only the serializer reads them. */
  long[] words() {
    return words;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpikeSnapshot that
        && Arrays.equals(batchedShape, that.batchedShape)
        && Arrays.equals(words, that.words);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(batchedShape) + Arrays.hashCode(words);
  }

  @Override
  public String toString() {
    return "SpikeSnapshot(batched_shape="
        + Checks.tuple(batchedShape)
        + ", spikes="
        + spikeCount()
        + ")";
  }
}
