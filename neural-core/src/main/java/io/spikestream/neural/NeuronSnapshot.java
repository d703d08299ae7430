package io.spikestream.neural;

import java.util.Arrays;

/**
 * The state of a neuron group at one moment: its model, its batched shape and the spikes of its
 * last step, bit-packed, plus what the model keeps besides (voltages, refractory periods,
 * adaptations). Immutable. A snapshot restores only into a group of the same model and batched
 * shape (see {@link Neuron#restore}); {@link NeuronSnapshotSerializer} writes every kind.
 *
 * <p>Bit {@code i & 63} of word {@code i >>> 6} is the spike of the neuron at flat c-order index
 * {@code i} of the batched shape; bits past the last neuron are zero.
 */
public abstract sealed class NeuronSnapshot permits SpikeSnapshot, LIFSnapshot, ALIFSnapshot {

  private final long[] batchedShape;
  private final long[] words;
  private final int size;

  /**
   * Validates and keeps the arrays as they are (callers pass copies or fresh arrays).
   *
   * @param noun how messages name this kind of snapshot, for example {@code spike snapshot}
   */
  NeuronSnapshot(String noun, long[] batchedShape, long[] words) {
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
            withArticle(noun)
                + " of batched shape "
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
          withArticle(noun)
              + " of batched shape "
              + Checks.tuple(batchedShape)
              + " needs "
              + wordsFor(size)
              + " words, got "
              + (words == null ? "null" : words.length));
    }
    int tail = size & 63;
    if (tail != 0 && (words[words.length - 1] >>> tail) != 0) {
      throw new IllegalArgumentException(
          withArticle(noun) + " of " + size + " neurons has spikes set past its last neuron");
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
   * The model this state belongs to, as its class is named: {@code ExactNeuron}, {@code LIF} or
   * {@code ALIF}.
   *
   * @return the model's name
   */
  public abstract String model();

  /**
   * @return a copy of the batched shape {@code [B, N...]}
   */
  public final long[] batchedShape() {
    return batchedShape.clone();
  }

  /**
   * @return the number of neurons, batch included
   */
  public final int size() {
    return size;
  }

  /**
   * @param index a flat c-order index into the batched shape, 0 <= index < size
   * @return whether that neuron spiked in the last step
   */
  public final boolean isSpike(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of [0, " + size + ")");
    }
    return (words[index >>> 6] & (1L << index)) != 0;
  }

  /**
   * @return how many neurons spiked in the last step
   */
  public final int spikeCount() {
    int count = 0;
    for (long word : words) {
      count += Long.bitCount(word);
    }
    return count;
  }

  /** The bit-packed words, shared: package-private so that only the serializer reads them. */
  final long[] words() {
    return words;
  }

  /** The batched shape, shared, for the serializer and the subclasses' checks. */
  final long[] sharedShape() {
    return batchedShape;
  }

  /** Whether the model, shape and spikes are equal; subclasses add their arrays. */
  final boolean sameBase(NeuronSnapshot that) {
    return getClass() == that.getClass()
        && Arrays.equals(batchedShape, that.batchedShape)
        && Arrays.equals(words, that.words);
  }

  final int baseHash() {
    return 31 * Arrays.hashCode(batchedShape) + Arrays.hashCode(words);
  }

  /** Checks a float array's length against the snapshot's, naming it in the reference's way. */
  static float[] requireLength(String noun, String name, float[] values, long length) {
    if (values == null || values.length != length) {
      throw new IllegalArgumentException(
          withArticle(noun)
              + " needs "
              + length
              + " values of '"
              + name
              + "', got "
              + (values == null ? "null" : values.length));
    }
    return values;
  }

  /**
   * @param noun for example {@code ALIF snapshot}
   * @return the noun after "a" or, before a vowel letter, "an"
   */
  static String withArticle(String noun) {
    return ("AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  /**
   * Equality of float arrays bit for bit (the sign of zero counts), except that every NaN equals
   * every other: where two NaN operands meet, IEEE 754 leaves open which one the result carries,
   * and the JVM's interpreter, its compiled code and its vector instructions choose differently (as
   * PyTorch's kernels do), so a NaN's sign and payload are not part of a neuron's state.
   */
  static boolean sameBits(float[] a, float[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  static int bitsHash(float[] a) {
    int hash = 1;
    for (float value : a) {
      hash = 31 * hash + Float.floatToIntBits(value);
    }
    return hash;
  }
}
