package io.spikestream.job.run;

import io.spikestream.job.config.JobOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A failed job's cause as one line for the user: the innermost cause that says something (not the
 * wrappers Flink puts around a task's failure), with a full disk named by the path it filled.
 */
final class Failures {

  /** The text of ENOSPC as Java reports it on Linux. */
  static final String NO_SPACE = "No space left on device";

  private Failures() {}

  /**
   * Describes why a job failed.
   *
   * @param failure what the job's result completed with
   * @param options the run's options, for the paths a full disk may be
   * @return one line, without the {@code spikestream: } prefix
   */
  static String describe(Throwable failure, JobOptions options) {
    List<Throwable> chain = chain(failure);
    for (Throwable cause : chain) {
      if (cause.getMessage() != null && cause.getMessage().contains(NO_SPACE)) {
        return "the disk is full (" + NO_SPACE + ") writing " + fullPath(options);
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    String message = root.getMessage() == null ? "" : root.getMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    return "the job failed: "
        + (message.isBlank()
            ? root.getClass().getSimpleName()
            : root.getClass().getSimpleName() + ": " + message);
  }

  /** The causes from the outermost to the innermost, each once. */
  private static List<Throwable> chain(Throwable failure) {
    Set<Throwable> seen = new LinkedHashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      // keep going
    }
    return new ArrayList<>(seen);
  }

  /**
   * Which of the run's directories is on the full disk: those of the output and the checkpoints
   * that have (almost) no usable space left, or whose space cannot be told (not on this machine's
   * file systems); both if every one seems to have space.
   */
  private static String fullPath(JobOptions options) {
    List<String> full = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (String location : new String[] {options.output(), options.checkpointDir()}) {
      if (location == null) {
        continue;
      }
      all.add(location);
      Path local = Preflight.local(location);
      try {
        if (local == null || Files.getFileStore(existing(local)).getUsableSpace() < 1 << 20) {
          full.add(location);
        }
      } catch (IOException e) {
        full.add(location); // not known: it may be the one
      }
    }
    return String.join(" or ", full.isEmpty() ? all : full);
  }

  private static Path existing(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? Path.of("/") : existing;
  }
}
