package io.spikestream.job.operator;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Items by the watermark at which they fall due, taken out a whole due time at a time.
 *
 * <p>Why not a sorted set of groups: at a step time of 1 ms, every group with events in a
 * millisecond falls due at the same watermark, so items come in few distinct due times, mostly the
 * newest; one bucket per due time makes an addition a lookup of that bucket and an append. An item
 * is not removed when its due time changes: the caller adds it again under the new one and skips
 * entries that no longer match when it polls them.
 *
 * @param <T> the items
 */
final class DueQueue<T> {

  private final TreeMap<Long, ArrayList<T>> buckets = new TreeMap<>();

  /** The bucket of the last addition, and its due time: the next addition's, most often. */
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
      lastBucket = buckets.computeIfAbsent(due, key -> new ArrayList<>());
      lastDue = due;
    }
    lastBucket.add(item);
  }

  /** The earliest due time, or {@link Long#MAX_VALUE} if empty. */
  long firstDue() {
    return buckets.isEmpty() ? Long.MAX_VALUE : buckets.firstKey();
  }

  /**
   * Removes the earliest due time's items.
   *
   * @return the items added under {@link #firstDue()}, in the order added; only when not empty
   */
  ArrayList<T> pollFirst() {
    Map.Entry<Long, ArrayList<T>> first = buckets.pollFirstEntry();
    if (first.getValue() == lastBucket) {
      lastBucket = null;
    }
    return first.getValue();
  }

  /** Whether nothing is due at any time. */
  boolean isEmpty() {
    return buckets.isEmpty();
  }
}
