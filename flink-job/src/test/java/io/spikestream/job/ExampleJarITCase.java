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
  }
}
