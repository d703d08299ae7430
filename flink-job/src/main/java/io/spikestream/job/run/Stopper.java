package io.spikestream.job.run;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import sun.misc.Signal;

/**
 * Stops a running job on SIGINT or SIGTERM the way {@code flink stop} does: a savepoint, then the
 * job ends; its pending steps stay in the savepoint, so a resume from it loses nothing. A second
 * signal cancels the job at once (the newest retained checkpoint is then the place to resume from),
 * a third ends the process.
 *
 * <p>Why signal handlers and not a shutdown hook: the JVM runs shutdown hooks concurrently, and
 * Flink's own (its blob store, its I/O manager) would tear the embedded cluster down while the
 * savepoint is being taken.
 */
final class Stopper {

  private final JobClient client;
  private final String savepointDir;
  private final PrintStream err;
  private final AtomicInteger signals = new AtomicInteger();
  private volatile CompletableFuture<String> savepoint;
  private volatile boolean cancelled;

  /**
   * @param client the running job
   * @param savepointDir where the stop's savepoint goes (path or URI)
   * @param err where to say what happens
   */
  Stopper(JobClient client, String savepointDir, PrintStream err) {
    this.client = client;
    this.savepointDir = savepointDir;
    this.err = err;
  }

  /** Handles SIGINT and SIGTERM from now on. */
  void onSignals() {
    Signal.handle(new Signal("INT"), signal -> stop());
    Signal.handle(new Signal("TERM"), signal -> stop());
  }

  /** What a signal does: the first stops with a savepoint, the second cancels, the third exits. */
  void stop() {
    switch (signals.incrementAndGet()) {
      case 1 -> {
        err.println(JobRun.PREFIX + "stopping with a savepoint (again to cancel at once)");
        savepoint = client.stopWithSavepoint(false, savepointDir, SavepointFormatType.CANONICAL);
        savepoint.whenComplete(
            (path, failure) -> {
              if (failure != null) {
                err.println(
                    JobRun.PREFIX
                        + "the savepoint failed ("
                        + rootMessage(failure)
                        + "): cancelling");
                cancel();
              }
            });
      }
      case 2 -> cancel();
      default -> Runtime.getRuntime().halt(130);
    }
  }

  private void cancel() {
    cancelled = true;
    client.cancel();
  }

  /**
   * The savepoint a stop took; waits for it if the stop is still under way.
   *
   * @return its location; empty if the job was not stopped or the savepoint failed
   */
  Optional<String> savepoint() {
    CompletableFuture<String> stop = savepoint;
    if (stop == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(stop.get(1, TimeUnit.MINUTES));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the job was cancelled rather than stopped with a savepoint.
   *
   * @return true after a second signal or a failed savepoint
   */
  boolean cancelled() {
    return cancelled;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
