package io.spikestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.io.JobIo;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a user runs it: {@code java -jar} of the packaged job jar (Flink
 * found through the manifest's Class-Path, not the test classpath) on the example files.
 */
class ExampleJarITCase {

  @TempDir Path dir;

  @Test
  void theReadmeCommandRunsTheExample() throws Exception {
    Path output = dir.resolve("out");
    Process job =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/spikestream-job.jar").toAbsolutePath().toString(),
                "--groups",
                "../examples/groups.yaml",
                "--input",
                "../examples/events.jsonl",
                "--output",
                output.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("job.log").toFile())
            .start();
    assertThat(job.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
    assertThat(job.exitValue()).as(java.nio.file.Files.readString(dir.resolve("job.log"))).isZero();
    assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES))).hasSize(8);
    assertThat(OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER))).hasSize(4);
    // it says where the results are and what happened, on stderr, and nothing else
    java.util.List<String> printed = java.nio.file.Files.readAllLines(dir.resolve("job.log"));
    assertThat(printed)
        .allMatch(line -> line.startsWith("spikestream: "))
        .anyMatch(line -> line.startsWith("spikestream: Web UI http://127.0.0.1:"))
        .contains(
            "spikestream: spikes in "
                + output
                + "/spikes, late events in "
                + output
                + "/late, dead letters in "
                + output
                + "/dead-letter");
    assertThat(printed.get(printed.size() - 1))
        .isEqualTo(
            "spikestream: done: events=13 applied=9 late=0 dead_letters=4 steps=8 spikes=35");
    assertThat(output.resolve(JobIo.LATE)).isEmptyDirectory();
  }
}
