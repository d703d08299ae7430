package io.spikestream.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.OutputFiles;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's command line as a user meets it, run in this JVM on its own embedded cluster: what it
 * prints (start lines, progress, the summary and the exact done line), its exit codes, and the
 * one-line errors before anything runs.
 */
class JobRunITCase {

  static final String GROUPS =
      "groups:\n  - {id: g, model: exact, shape: [4], step_time: 1.0, rest_v: -65, thresh_v: -50}\n";

  @TempDir Path dir;

  /** What one run printed and returned. */
  record Result(int exitCode, String out, List<String> err) {
    String lastLine() {
      return err.get(err.size() - 1);
    }
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = JobRun.run(args, o, e, false);
    }
    String printed = err.toString(StandardCharsets.UTF_8);
    return new Result(
        code,
        out.toString(StandardCharsets.UTF_8),
        printed.isEmpty() ? List.of() : List.of(printed.split("\n")));
  }

  String[] args(Path input, Path output, String... extra) throws Exception {
    Path groups = dir.resolve("groups.yaml");
    Files.writeString(groups, GROUPS);
    List<String> all =
        new ArrayList<>(
            List.of(
                "--groups",
                groups.toString(),
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--checkpoint-interval-ms",
                "200"));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  @Test
  void theDoneLineCountsARunWithLateAndMalformedLinesExactly() throws Exception {
    Path input = dir.resolve("events.jsonl");
    String lines =
        String.join(
            "\n",
            "{\"group\":\"g\",\"t\":0.5,\"index\":[0],\"current\":[1.0]}", // step 0: spikes [0]
            "{\"group\":\"g\",\"t\":1.2,\"index\":[1],\"current\":[1.0]}", // step 1: spikes [1]
            "{\"group\":\"g\",\"t\":3.0,\"index\":[2],\"current\":[-1.0]}", // steps 0, 1 run
            "{\"group\":\"g\",\"t\":1.5,\"override\":[3]}", // step 1 ran: late
            "not json", // dead letter, line 5
            "", // blank: dead letter, line 6
            "{\"group\":\"nowhere\",\"t\":1,\"override\":[]}", // dead letter, line 7
            "{\"group\":\"g\",\"t\":4.0,\"currents\":[1,1,1,1]}", // step 4: spikes [0,1,2,3]
            "{\"group\":\"g\",\"t\":0.2,\"index\":[1],\"current\":[2]}"); // late, no newline
    Files.writeString(input, lines);
    Path output = dir.resolve("out");

    // one reader: which steps have run when a line arrives is then fixed by the file alone (with
    // two, the reader without a file holds the watermark back until it ends)
    Result result = run(args(input, output, "--parallelism", "1"));

    assertThat(result.exitCode()).as(String.join("\n", result.err())).isZero();
    assertThat(result.lastLine())
        .isEqualTo("spikestream: done: events=9 applied=4 late=2 dead_letters=3 steps=4 spikes=6");
    assertThat(result.err()).noneMatch(line -> line.contains("resume with"));
    assertThat(result.err())
        .anyMatch(line -> line.matches("spikestream: Web UI http://127\\.0\\.0\\.1:\\d+/?"))
        .contains(
            "spikestream: input " + input,
            "spikestream: checkpoints " + output.resolve("checkpoints"))
        .anyMatch(line -> line.startsWith("spikestream: output " + output))
        .anyMatch(line -> line.startsWith("spikestream: finished: 9 events in "));
    // the counts are those of the output
    List<String> spikes = OutputFiles.lines(output.resolve(JobIo.SPIKES));
    assertThat(spikes).hasSize(4);
    assertThat(spikes.stream().mapToInt(JobRunITCase::spikeCount).sum()).isEqualTo(6);
    assertThat(OutputFiles.lines(output.resolve(JobIo.LATE))).hasSize(2);
    List<String> deadLetters = OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER));
    assertThat(deadLetters).hasSize(3);
    for (int line : new int[] {5, 6, 7}) {
      assertThat(deadLetters)
          .anyMatch(
              letter -> letter.contains("\"source\":\"" + input + "\",\"position\":" + line + ","));
    }
  }

  @Test
  void atParallelismTwoTheDoneLineIsWhatTheOutputHolds() throws Exception {
    Path input = dir.resolve("events.jsonl");
    StringBuilder lines = new StringBuilder();
    java.util.Random random = new java.util.Random(20261201L);
    for (int i = 0; i < 3000; i++) {
      double t = Math.max(0, i / 10.0 - random.nextInt(5)); // out of order: some late
      lines.append(
          random.nextInt(50) == 0
              ? "{\"group\":\"g\",\"t\":oops}\n"
              : "{\"group\":\"g\",\"t\":"
                  + t
                  + ",\"index\":["
                  + random.nextInt(4)
                  + "],\"current\":["
                  + (random.nextDouble() - 0.3)
                  + "]}\n");
    }
    Files.writeString(input, lines);
    Path output = dir.resolve("out");

    Result result = run(args(input, output, "--parallelism", "2"));

    assertThat(result.exitCode()).as(String.join("\n", result.err())).isZero();
    List<String> spikes = OutputFiles.lines(output.resolve(JobIo.SPIKES));
    long late = OutputFiles.lines(output.resolve(JobIo.LATE)).size();
    long dead = OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER)).size();
    assertThat(late).as("the input makes late events").isPositive();
    assertThat(result.lastLine())
        .isEqualTo(
            "spikestream: done: events=3000 applied="
                + (3000 - late - dead)
                + " late="
                + late
                + " dead_letters="
                + dead
                + " steps="
                + spikes.size()
                + " spikes="
                + spikes.stream().mapToInt(JobRunITCase::spikeCount).sum());
  }

  static int spikeCount(String record) {
    String spikes = record.substring(record.indexOf("\"spikes\":[") + 10);
    spikes = spikes.substring(0, spikes.indexOf(']'));
    return spikes.isEmpty() ? 0 : spikes.split(",").length;
  }

  @Test
  void aLongerRunPrintsProgressAndItsOutputDirectoriesAlwaysExist() throws Exception {
    Path input = dir.resolve("events.jsonl");
    StringBuilder lines = new StringBuilder();
    int events = 200_000;
    for (int i = 0; i < events; i++) {
      lines.append("{\"group\":\"g\",\"t\":").append(i / 10).append(",\"index\":[");
      lines.append(i % 4).append("],\"current\":[1]}\n");
    }
    Files.writeString(input, lines);
    Path output = dir.resolve("out");

    Result result = run(args(input, output, "--parallelism", "1", "--progress-interval-ms", "100"));

    assertThat(result.exitCode()).as(String.join("\n", result.err())).isZero();
    assertThat(result.err())
        .anyMatch(
            line ->
                line.matches(
                    "spikestream: \\d+\\.\\d s: [\\d,]+ events \\([\\d,]+/s\\): [\\d,]+ applied,"
                        + " 0 late, 0 dead letters; [\\d,]+ steps, [\\d,]+ spikes; [\\d,]+ pending"
                        + " steps; .*"));
    assertThat(result.lastLine())
        .isEqualTo(
            "spikestream: done: events=200000 applied=200000 late=0 dead_letters=0 steps=20000"
                + " spikes=80000");
    for (String name : Preflight.RESULTS) {
      assertThat(output.resolve(name)).isDirectory();
    }
  }

  @Test
  void quietPrintsOnlyTheDoneLine() throws Exception {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, "{\"group\":\"g\",\"t\":0.5,\"override\":[1]}\n");
    Result result = run(args(input, dir.resolve("out"), "--quiet"));
    assertThat(result.exitCode()).isZero();
    assertThat(result.err())
        .containsExactly(
            "spikestream: done: events=1 applied=1 late=0 dead_letters=0 steps=1 spikes=1");
  }

  @Test
  void plotDrawsARunThroughTheJobsCommandLine() throws Exception {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, "{\"group\":\"g\",\"t\":0.5,\"override\":[1]}\n");
    Path output = dir.resolve("out");
    assertThat(run(args(input, output, "--emit-voltage")).exitCode()).isZero();

    Result plot =
        run("plot", "--output", output.toString(), "--png", dir.resolve("run.png").toString());
    assertThat(plot.exitCode()).as(String.join("\n", plot.err())).isZero();
    assertThat(javax.imageio.ImageIO.read(dir.resolve("run.png").toFile())).isNotNull();

    Result missing = run("plot", "--output", dir.resolve("nothere").toString(), "--png", "x.png");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).hasSize(1);
    assertThat(missing.err().get(0)).contains(dir.resolve("nothere").toString());
    Result syntax = run("plot", "--output", output.toString());
    assertThat(syntax.exitCode()).isEqualTo(2);
    assertThat(syntax.err()).containsExactly("plot: Missing required option: '--png=FILE'");
  }

  @Test
  void dashHPrintsExactlyWhatHelpPrints() {
    Result shortHelp = run("-h");
    Result longHelp = run("--help");
    assertThat(shortHelp.exitCode()).isZero();
    assertThat(shortHelp.out()).isEqualTo(longHelp.out()).isEqualTo(JobOptions.usage());
    assertThat(shortHelp.err()).isEmpty();
  }

  @Test
  void badOptionsAndEnvironmentsAreOneLineAndExitCodeTwo() throws Exception {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, "{\"group\":\"g\",\"t\":0.5,\"override\":[1]}\n");
    Path output = dir.resolve("out");

    Result unknown = run(args(input, output, "--paralelism", "2"));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .containsExactly(
            "spikestream: unknown option '--paralelism' (did you mean --parallelism?)",
            "Run with --help for the options.");

    Result missing = run(args(dir.resolve("nothere.jsonl"), output));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err())
        .containsExactly(
            "spikestream: --input " + dir.resolve("nothere.jsonl") + " does not exist");

    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    Result unwritable = run(args(input, file.resolve("out")));
    assertThat(unwritable.exitCode()).isEqualTo(2);
    assertThat(unwritable.err()).hasSize(1);
    assertThat(unwritable.err().get(0))
        .startsWith("spikestream: cannot write the output directory " + file.resolve("out"));

    Result badCheckpoints =
        run(args(input, output, "--checkpoint-dir", file.resolve("checkpoints").toString()));
    assertThat(badCheckpoints.exitCode()).isEqualTo(2);
    assertThat(badCheckpoints.err()).hasSize(1);
    assertThat(badCheckpoints.err().get(0))
        .startsWith(
            "spikestream: cannot write the checkpoint directory " + file.resolve("checkpoints"));

    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Result port =
          run(args(input, output, "--metrics-port", Integer.toString(taken.getLocalPort())));
      assertThat(port.exitCode()).isEqualTo(2);
      assertThat(port.err()).hasSize(1);
      assertThat(port.err().get(0))
          .startsWith("spikestream: --metrics-port " + taken.getLocalPort() + " is in use");
    }
  }

  @Test
  void anOutputWithResultsIsRefusedUnlessOverwritten() throws Exception {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, "{\"group\":\"g\",\"t\":0.5,\"override\":[1]}\n");
    Path output = dir.resolve("out");
    assertThat(run(args(input, output)).exitCode()).isZero();

    Result again = run(args(input, output));
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err())
        .containsExactly(
            "spikestream: --output "
                + output
                + " already holds results (1 file in spikes/): give a new --output, --overwrite to"
                + " replace them, or --from-savepoint to continue that run");
    assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES))).hasSize(1);

    Result overwritten = run(args(input, output, "--overwrite"));
    assertThat(overwritten.exitCode()).isZero();
    assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES))).hasSize(1);
    assertThat(output.resolve("checkpoints")).isDirectory();

    // a hidden in-progress part file left by a killed run is a result too
    Path other = dir.resolve("other");
    Files.createDirectories(other.resolve(JobIo.DEAD_LETTER));
    Files.writeString(other.resolve(JobIo.DEAD_LETTER).resolve(".part-x.inprogress.y"), "{}");
    Result hidden = run(args(input, other));
    assertThat(hidden.exitCode()).isEqualTo(2);
    assertThat(hidden.err().get(0)).contains("(1 file in dead-letter/)");
  }
}
