package io.spikestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live file input: files dropped one after another into a directory the job watches, at parallelism
 * 2 (two file readers, which take the files in turn). Each file's steps must come out once later
 * event time is seen, however the files fall on the readers; with {@code --flush-idle-ms}, also the
 * last step of the last file, without any later event.
 */
class MonitorITCase {

  @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRuns.miniCluster();

  /** Steps per file: file f holds steps [f * STEPS, (f + 1) * STEPS). */
  static final int STEPS = 20;

  static final int FILES = 4;

  private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");

  @TempDir Path dir;

  @Test
  void everyFilesStepsComeOutAtParallelismTwo() throws Exception {
    JobClient job = start();
    try {
      for (int f = 0; f < FILES; f++) {
        drop(f);
        // every step of the files so far but the newest one, which waits for later event time
        awaitSteps(0, (f + 1) * STEPS - 1);
      }
      Thread.sleep(1500);
      assertThat(steps()).as("the newest step waits for a later event").hasSize(FILES * STEPS - 1);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void withFlushIdleTheLastStepComesOutWithoutALaterEvent() throws Exception {
    JobClient job = start("--flush-idle-ms", "300");
    try {
      for (int f = 0; f < FILES; f++) {
        drop(f);
        awaitSteps(0, (f + 1) * STEPS);
      }
    } finally {
      job.cancel().get();
    }
    assertThat(OutputFiles.lines(dir.resolve("out").resolve(JobIo.LATE))).isEmpty();
  }

  private JobClient start(String... extra) throws Exception {
    Files.writeString(
        dir.resolve("groups.yaml"),
        "groups:\n  - {id: g, model: exact, shape: [8], step_time: 1.0, rest_v: -65, thresh_v:"
            + " -50}\n");
    Files.createDirectories(dir.resolve("in"));
    List<String> args =
        new ArrayList<>(List.of("--monitor", "--monitor-interval-ms", "100", "--parallelism", "2"));
    args.addAll(List.of(extra));
    JobOptions options =
        JobRuns.options(
            dir.resolve("groups.yaml"),
            dir.resolve("in"),
            dir.resolve("out"),
            args.toArray(String[]::new));
    return JobRuns.build(options, GroupsFile.load(options.groups()), s -> s)
        .executeAsync("monitor");
  }

  /** Writes file f whole, then moves it into the watched directory (a reader sees it whole). */
  private void drop(int f) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int step = f * STEPS; step < (f + 1) * STEPS; step++) {
      lines.append("{\"group\":\"g\",\"t\":").append(step).append(".5,\"override\":[");
      lines.append(step % 8).append("]}\n");
    }
    Path staged = dir.resolve("file-" + f + ".jsonl");
    Files.writeString(staged, lines);
    Files.move(staged, dir.resolve("in").resolve(staged.getFileName()));
  }

  private void awaitSteps(int from, int to) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Set<Integer> wanted = new HashSet<>();
    for (int step = from; step < to; step++) {
      wanted.add(step);
    }
    while (!steps().containsAll(wanted)) {
      assertThat(System.nanoTime())
          .as("steps %d..%d out in time", from, to - 1)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private Set<Integer> steps() {
    Set<Integer> steps = new HashSet<>();
    for (String line : OutputFiles.lines(dir.resolve("out").resolve(JobIo.SPIKES))) {
      Matcher step = STEP.matcher(line);
      assertThat(step.find()).isTrue();
      int s = Integer.parseInt(step.group(1));
      assertThat(line).contains("\"spikes\":[" + (s % 8) + "]");
      assertThat(steps.add(s)).as("step %d once", s).isTrue();
    }
    return steps;
  }
}
