package io.spikestream.neural;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a dense step over threads: the calling thread runs the first chunk, the common fork-join
 * pool the others.
 */
final class DenseChunks {

  /** Chunks below this many neurons are not worth a thread. */
  static final int MIN_CHUNK = 1 << 16;

  /** The work of one chunk. */
  interface Body {
    /** Steps units [from, to). */
    void run(int from, int to);
  }

  private DenseChunks() {}

  /**
   * Runs {@code body} over [0, n) in min(threads, n / {@link #MIN_CHUNK}) chunks, at least one, and
   * returns when all are done.
   *
   * @param n the units
   * @param threads the most threads to use, >= 1
   * @param body the work of a chunk
   */
  static void run(int n, int threads, Body body) {
    int chunks = Math.max(1, Math.min(threads, n / MIN_CHUNK));
    if (chunks == 1) {
      body.run(0, n);
      return;
    }
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int c = 1; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      tasks[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
    }
    body.run(0, (int) ((long) n / chunks));
    for (ForkJoinTask<?> task : tasks) {
      task.join();
    }
  }
}
