package io.spikestream.neural;

/**
 * The input of one sparse step: each listed neuron's currents summed in float64, in list order from
 * 0.0, in time proportional to the number of listed currents (an open-addressing table that is
 * emptied entry by entry, never by a pass over the group).
 *
 * <p>Not thread-safe: each thread steps with its own ({@link #ofThisThread}), shared by every group
 * it steps. A table is used only within one sparse step and emptied before and after it, so sharing
 * costs nothing, and keeps the table in cache: with a table per group, a thread that steps a
 * thousand small groups in turn found each group's table in memory, a cache miss per step.
 */
final class SparseInput {

  private static final ThreadLocal<SparseInput> OF_THREAD =
      ThreadLocal.withInitial(SparseInput::new);

  /**
   * @return the calling thread's table, for one sparse step at a time
   */
  static SparseInput ofThisThread() {
    return OF_THREAD.get();
  }

  /** Listed neuron + 1 per slot, 0 for an empty slot. */
  private int[] keys = new int[16];

  private double[] sums = new double[16];

  /** The used slots, in the order their neurons were first listed. */
  private int[] order = new int[8];

  private int distinct;

  /** Fibonacci hashing: the top log2(keys.length) bits of the product. */
  private int shift = 32 - 4;

  /**
   * Sums the first {@code count} currents per neuron; indices must have been checked.
   *
   * @param indices flat c-order neuron indices, repeats allowed
   * @param currents the currents, in nA
   * @param count how many entries to use
   */
  void load(int[] indices, double[] currents, int count) {
    clear();
    if (keys.length < 2 * count) {
      int capacity = Integer.highestOneBit(Math.max(16, 2 * count - 1)) << 1;
      keys = new int[capacity];
      sums = new double[capacity];
      shift = Integer.numberOfLeadingZeros(capacity) + 1;
    }
    if (order.length < count) {
      order = new int[count];
    }
    for (int j = 0; j < count; j++) {
      int slot = slotOf(indices[j]);
      if (keys[slot] == 0) {
        keys[slot] = indices[j] + 1;
        sums[slot] = 0.0;
        order[distinct++] = slot;
      }
      sums[slot] += currents[j];
    }
  }

  /** The slot that holds {@code neuron}, or the empty slot where it would go. */
  private int slotOf(int neuron) {
    int mask = keys.length - 1;
    int slot = (neuron * 0x9E3779B9) >>> shift;
    while (keys[slot] != 0 && keys[slot] != neuron + 1) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * @return how many distinct neurons are listed
   */
  int distinct() {
    return distinct;
  }

  /**
   * @param k 0 <= k < {@link #distinct()}, in order of first listing
   * @return the k-th listed neuron
   */
  int neuron(int k) {
    return keys[order[k]] - 1;
  }

  /**
   * @param k 0 <= k < {@link #distinct()}
   * @return the float64 sum of the k-th listed neuron's currents
   */
  double sum(int k) {
    return sums[order[k]];
  }

  /**
   * @param neuron a flat neuron index
   * @return its summed current, 0.0 if it is not listed
   */
  double sumOf(int neuron) {
    if (distinct == 0) {
      return 0.0;
    }
    int slot = slotOf(neuron);
    return keys[slot] == 0 ? 0.0 : sums[slot];
  }

  /** Empties the table, entry by entry. */
  void clear() {
    for (int k = 0; k < distinct; k++) {
      keys[order[k]] = 0;
    }
    distinct = 0;
  }
}
