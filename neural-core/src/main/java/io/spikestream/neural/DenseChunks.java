package io.spikestream.neural;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a dense step over threads: the calling thread runs the first chunk, the common fork-join
 * pool the others. Each chunk also lists, in ascending order, the units its fast cold test could
 * not clear, for the model to judge fully afterwards (on the calling thread: they are few).
 */
final class DenseChunks {

  /** Chunks below this many neurons are not worth a thread. */
  static final int MIN_CHUNK = 1 << 16;

  /** The work of one chunk. */
  interface Body {
    /**
     * Steps units [from, to), adding those its fast cold test does not clear to {@code doubtful}.
     */
    void run(int from, int to, Units doubtful);
  }

  /** A growable list of units, reused from step to step. */
  static final class Units {
    int[] units = new int[16];
    int count;

    void add(int unit) {
      if (count == units.length) {
        units = Arrays.copyOf(units, 2 * count);
      }
      units[count++] = unit;
    }

    /**
     * @return the array, with room for {@code extra} more units past {@link #count}
     */
    int[] room(int extra) {
      if (count + extra > units.length) {
        units = Arrays.copyOf(units, Math.max(2 * units.length, count + extra));
      }
      return units;
    }
  }

  private Units[] lists = {new Units()};

  /**
   * Runs {@code body} over [0, n) in up to {@code threads} chunks and returns their doubtful units,
   * chunk by chunk.
   *
   * @return the lists, the first {@link #chunks} of them in use
   */
  Units[] run(int n, int threads, Body body) {
    int chunks = Math.max(1, Math.min(threads, n / MIN_CHUNK));
    if (lists.length < chunks) {
      lists = Arrays.copyOf(lists, chunks);
      for (int c = 0; c < chunks; c++) {
        if (lists[c] == null) {
          lists[c] = new Units();
        }
      }
    }
    for (int c = 0; c < chunks; c++) {
      lists[c].count = 0;
    }
    lastChunks = chunks;
    if (chunks == 1) {
      body.run(0, n, lists[0]);
      return lists;
    }
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      Units list = lists[c];
      tasks[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to, list));
    }
    body.run(0, (int) ((long) n / chunks), lists[0]);
    for (ForkJoinTask<?> task : tasks) {
      task.join();
    }
    return lists;
  }

  private int lastChunks = 1;

  /**
   * @return how many chunks the last {@link #run} used
   */
  int chunks() {
    return lastChunks;
  }
}
