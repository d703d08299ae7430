package io.spikestream.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.OutputFiles;
import io.spikestream.job.io.JobIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output's disk fills up during a run (a file system whose writes fail with {@code No space
 * left on device} once a budget is spent, {@link FullDiskFileSystem}): after Flink's restarts the
 * run ends with one line naming the full path and saying how to resume, not a stack trace.
 */
class FullDiskITCase {

  @TempDir Path dir;

  @Test
  void aFullDiskEndsTheRunWithOneLineAndWhereToResume() throws Exception {
    Files.writeString(dir.resolve("groups.yaml"), JobRunITCase.GROUPS);
    Path input = Files.createDirectories(dir.resolve("in"));
    String output = "fullfs://" + dir.resolve("out");
    Path checkpoints = dir.resolve("checkpoints");
    FullDiskFileSystem.BUDGET.set(100_000);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    String[] args = {
      "--groups",
      dir.resolve("groups.yaml").toString(),
      "--input",
      input.toString(),
      "--output",
      output,
      "--checkpoint-dir",
      checkpoints.toString(),
      "--checkpoint-interval-ms",
      "100",
      "--monitor",
      "--monitor-interval-ms",
      "100",
      "--flush-idle-ms",
      "200",
      "--parallelism",
      "1"
    };
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(() -> JobRun.run(args, System.out, errStream, false));

    // a first file fits on the disk and is committed: a checkpoint completed
    Files.writeString(dir.resolve("a.jsonl"), lines(0, 100));
    Files.move(dir.resolve("a.jsonl"), input.resolve("a.jsonl"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (OutputFiles.lines(dir.resolve("out").resolve(JobIo.SPIKES)).size() < 100) {
      assertThat(System.nanoTime()).as(err.toString(StandardCharsets.UTF_8)).isLessThan(deadline);
      Thread.sleep(100);
    }
    // a second does not
    Files.writeString(dir.resolve("b.jsonl"), lines(100, 20_000));
    Files.move(dir.resolve("b.jsonl"), input.resolve("b.jsonl"));

    int exitCode = run.get(120, TimeUnit.SECONDS);
    List<String> printed = List.of(err.toString(StandardCharsets.UTF_8).split("\n"));
    assertThat(exitCode).as(String.join("\n", printed)).isEqualTo(1);
    assertThat(printed)
        .contains("spikestream: the disk is full (No space left on device) writing " + output)
        .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
    String resume = printed.get(printed.size() - 2);
    assertThat(resume).startsWith("spikestream: resume with --from-savepoint " + checkpoints);
    Path checkpoint = Path.of(resume.substring(resume.lastIndexOf(' ') + 1));
    assertThat(checkpoint.resolve("_metadata")).isRegularFile();
    assertThat(printed.get(printed.size() - 1)).startsWith("spikestream: done: events=");
  }

  private static String lines(int from, int to) {
    StringBuilder lines = new StringBuilder();
    for (int step = from; step < to; step++) {
      lines.append("{\"group\":\"g\",\"t\":").append(step).append(".5,\"override\":[");
      lines.append(step % 4).append("]}\n");
    }
    return lines.toString();
  }
}
