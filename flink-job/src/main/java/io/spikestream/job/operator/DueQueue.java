package io.spikestream.job.operator;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Items by the watermark at which they fall due, taken out a whole due time at a time.
 *
 * <p>Why not a sorted set of groups: at a step time of 1 ms, every group with events in a
 * millisecond falls due at the same watermark, so items come in few distinct due times; one bucket
 * per due time makes an addition a lookup of that bucket and an append. An item is not removed when
 * its due time changes: the caller adds it again under the new one and skips entries that no longer
 * match when it polls them.
 *
 * <p>Why not a {@code TreeMap<Long, List>} of the buckets: the watermark moves once per millisecond
 * of event time, so a group is added again after each of its steps, an addition per step, and the
 * due times interleave across groups. A tree walk per addition (boxed keys, a node per level) was
 * 9% of the operator's thread on sparse input; here the bucket is found by a hash of the due time
 * (linear probing, backward-shift deletion), and only a new due time enters the min-heap of due
 * times.
 *
 * @param <T> the items
 */
final class DueQueue<T> {

  /** The distinct due times with a bucket, a binary min-heap over {@code [0, heapSize)}. */
  private long[] heap = new long[16];

  private int heapSize;

  /** Open-addressing table of the buckets by due time; a null bucket is a free slot. */
  private long[] keys = new long[32];

  private ArrayList<T>[] buckets = newBuckets(32);

  /** The bucket of the last addition, and its due time: the next addition's, often. */
  private ArrayList<T> lastBucket;

  private long lastDue;

  /**
   * Adds an item under a due time.
   *
   * @param due the watermark at which it falls due, in ms
   * @param item the item
   */
  void add(long due, T item) {
    if (lastBucket == null || lastDue != due) {
      lastBucket = bucket(due);
      lastDue = due;
    }
    lastBucket.add(item);
  }

  /** The earliest due time, or {@link Long#MAX_VALUE} if empty. */
  long firstDue() {
    return heapSize == 0 ? Long.MAX_VALUE : heap[0];
  }

  /**
   * Removes the earliest due time's items.
   *
   * @return the items added under {@link #firstDue()}, in the order added; only when not empty
   */
  ArrayList<T> pollFirst() {
    long due = heap[0];
    heapSize--;
    if (heapSize > 0) {
      siftDown(heap[heapSize]);
    }
    ArrayList<T> bucket = remove(due);
    if (bucket == lastBucket) {
      lastBucket = null;
    }
    return bucket;
  }

  /** Whether nothing is due at any time. */
  boolean isEmpty() {
    return heapSize == 0;
  }

  /** The bucket of a due time, created (and its time put in the heap) if there is none. */
  private ArrayList<T> bucket(long due) {
    int mask = keys.length - 1;
    int slot = slotOf(due, mask);
    while (buckets[slot] != null) {
      if (keys[slot] == due) {
        return buckets[slot];
      }
      slot = (slot + 1) & mask;
    }
    ArrayList<T> bucket = new ArrayList<>();
    keys[slot] = due;
    buckets[slot] = bucket;
    push(due);
    if (2 * heapSize > keys.length) {
      grow();
    }
    return bucket;
  }

  /** Takes a due time's bucket out of the table, shifting back the entries probed past it. */
  private ArrayList<T> remove(long due) {
    int mask = keys.length - 1;
    int slot = slotOf(due, mask);
    while (keys[slot] != due || buckets[slot] == null) {
      slot = (slot + 1) & mask;
    }
    ArrayList<T> bucket = buckets[slot];
    int free = slot;
    for (int next = (free + 1) & mask; buckets[next] != null; next = (next + 1) & mask) {
      int home = slotOf(keys[next], mask);
      // an entry may move back into the free slot only if that slot lies on its probe path
      if (((next - home) & mask) >= ((next - free) & mask)) {
        keys[free] = keys[next];
        buckets[free] = buckets[next];
        free = next;
      }
    }
    buckets[free] = null;
    return bucket;
  }

  private void grow() {
    long[] oldKeys = keys;
    ArrayList<T>[] oldBuckets = buckets;
    keys = new long[2 * oldKeys.length];
    buckets = newBuckets(2 * oldKeys.length);
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldBuckets[i] != null) {
        int slot = slotOf(oldKeys[i], mask);
        while (buckets[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        buckets[slot] = oldBuckets[i];
      }
    }
  }

  private void push(long due) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, 2 * heapSize);
    }
    int at = heapSize++;
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (heap[parent] <= due) {
        break;
      }
      heap[at] = heap[parent];
      at = parent;
    }
    heap[at] = due;
  }

  /** Puts {@code due} in the heap's root place and sifts it down over {@code [0, heapSize)}. */
  private void siftDown(long due) {
    int at = 0;
    int half = heapSize >>> 1;
    while (at < half) {
      int child = 2 * at + 1;
      if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
        child++;
      }
      if (due <= heap[child]) {
        break;
      }
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = due;
  }

  /**
   * Fibonacci hashing: consecutive due times (a step apart) spread over the table. The slot is the
   * top log2(table size) bits of the product, the best mixed ones, for a table of any size.
   */
  private static int slotOf(long due, int mask) {
    return (int) ((due * 0x9E3779B97F4A7C15L) >>> Long.numberOfLeadingZeros(mask));
  }

  @SuppressWarnings("unchecked")
  private static <T> ArrayList<T>[] newBuckets(int n) {
    return (ArrayList<T>[]) new ArrayList<?>[n];
  }
}
