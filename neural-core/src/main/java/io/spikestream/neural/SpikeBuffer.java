package io.spikestream.neural;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The spikes of a group's last step: a BOOL array of the batched shape, one byte per neuron, kept
 * so that a sparse step and an idle skip cost the spikes they change, not the group's size.
 *
 * <p>After a dense step the bytes are the spikes ({@code full}). A sparse step or a clear keeps its
 * spikes as a sorted index list. The bytes then hold exactly that list while someone reads the
 * array; from the start and after each dense step they may be stale ({@code stale}) and are brought
 * up to date only when the array is read, so that a group stepped only sparsely and never read as
 * an array (the Flink operator's groups) never touches them: their memory is one more cache miss
 * per step of a group, which at a thousand small groups is a measurable part of a sparse step.
 */
final class SpikeBuffer {

  private final INDArray array;

  /** A direct view of the array's memory, little-endian: byte i is neuron i. */
  private final ByteBuffer bytes;

  private final int size;

  /** The spikes as ascending indices, when not {@link #full}. */
  private int[] listed = new int[8];

  private int listedCount;

  private boolean full;

  /** Whether the bytes may differ from the list (never when {@link #full}). */
  private boolean stale = true;

  /**
   * @param batchedShape {@code [B, N...]}; a new buffer holds no spike
   */
  SpikeBuffer(long[] batchedShape) {
    array = Nd4j.create(DataType.BOOL, batchedShape, 'c');
    bytes = array.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
    size = bytes.capacity();
  }

  /**
   * Puts the first {@code n} indices in ascending order, as {@link #setSparse} takes them: by
   * insertion for a few (a sparse step of a stream spread over many groups spikes one to a few
   * neurons, where the library sort's set-up was 5% of the Flink operator's thread), else by the
   * library sort.
   *
   * @param indices distinct flat indices
   * @param n how many of them to order
   */
  static void sortAscending(int[] indices, int n) {
    if (n > 8) {
      Arrays.sort(indices, 0, n);
      return;
    }
    for (int i = 1; i < n; i++) {
      int index = indices[i];
      int j = i;
      for (; j > 0 && indices[j - 1] > index; j--) {
        indices[j] = indices[j - 1];
      }
      indices[j] = index;
    }
  }

  /**
   * @return the number of neurons, batch included
   */
  int size() {
    return size;
  }

  /**
   * The spikes as the BOOL array itself, stale bytes cleared first.
   *
   * @return BOOL, {@code [B, N...]}; overwritten by the next step
   */
  INDArray array() {
    if (stale) {
      array.assign(false);
      for (int k = 0; k < listedCount; k++) {
        bytes.put(listed[k], (byte) 1);
      }
      stale = false;
    }
    return array;
  }

  /**
   * The bytes for a dense step to write every neuron's spike into; call {@link #markFull} after.
   *
   * @return the direct byte view, byte i for neuron i
   */
  ByteBuffer bytesToOverwrite() {
    return bytes;
  }

  /**
   * The array for a native op to write every neuron's spike into; call {@link #markFull} after.
   *
   * @return the BOOL array, as it is
   */
  INDArray arrayToOverwrite() {
    return array;
  }

  /**
   * Whether a neuron spiked, for reads in the order of the neurons.
   *
   * @param i a flat index
   * @return its spike
   */
  boolean isSpike(int i) {
    if (full) {
      return bytes.get(i) != 0;
    }
    return Arrays.binarySearch(listed, 0, listedCount, i) >= 0;
  }

  /** Records that a dense step wrote every byte. */
  void markFull() {
    full = true;
    stale = false;
    listedCount = 0;
  }

  /** Drops every spike, in time proportional to the spikes listed (O(1) after a dense step). */
  void clear() {
    if (full) {
      full = false;
      stale = true;
    } else if (!stale) {
      for (int k = 0; k < listedCount; k++) {
        bytes.put(listed[k], (byte) 0);
      }
    }
    listedCount = 0;
  }

  /**
   * Replaces the spikes with a sparse step's.
   *
   * @param ascending distinct neuron indices, ascending
   * @param count how many of them
   */
  void setSparse(int[] ascending, int count) {
    clear();
    if (listed.length < count) {
      listed = new int[Math.max(count, 2 * listed.length)];
    }
    System.arraycopy(ascending, 0, listed, 0, count);
    listedCount = count;
    if (!stale) {
      for (int k = 0; k < count; k++) {
        bytes.put(ascending[k], (byte) 1);
      }
    }
  }

  /**
   * @return the spiking neurons' flat indices, ascending, in a new array
   */
  int[] indices() {
    if (!full) {
      return Arrays.copyOf(listed, listedCount);
    }
    long[] words = pack();
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
   * The spikes as bits, neuron i in bit {@code i % 64} of word {@code i / 64}.
   *
   * @return {@link NeuronSnapshot#wordsFor}(size) new words
   */
  long[] pack() {
    long[] words = new long[NeuronSnapshot.wordsFor(size)];
    if (!full) {
      for (int k = 0; k < listedCount; k++) {
        words[listed[k] >>> 6] |= 1L << listed[k];
      }
      return words;
    }
    int i = 0;
    for (; i + 8 <= size; i += 8) {
      long eight = bytes.getLong(i);
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
    for (; i < size; i++) {
      if (bytes.get(i) != 0) {
        words[i >>> 6] |= 1L << i;
      }
    }
    return words;
  }

  /**
   * Replaces the spikes with bit-packed ones of the same size.
   *
   * @param snapshot spikes of this buffer's size
   */
  void restore(NeuronSnapshot snapshot) {
    for (int i = 0; i < size; i++) {
      bytes.put(i, snapshot.isSpike(i) ? (byte) 1 : (byte) 0);
    }
    markFull();
  }
}
