package io.spikestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.io.JobIo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's run of LIF groups dies by SIGKILL mid-stream; they resume it from its last retained
 * checkpoint with {@code --from-savepoint} and get exactly the output of an uninterrupted run. The
 * job runs in a child JVM through its real {@code main}, on its embedded MiniCluster.
 */
class KillAndResumeITCase {

  private static final long SEED = Long.getLong("spikestream.seed", 20261123L);

  @TempDir Path dir;

  private Process start(Path output, String backend, String... extra) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                SpikestreamJob.class.getName(),
                "--groups",
                dir.resolve("groups.yaml").toString(),
                "--input",
                dir.resolve("events.jsonl").toString(),
                "--output",
                output.toString(),
                "--parallelism",
                "2",
                "--out-of-orderness-ms",
                "3",
                "--checkpoint-interval-ms",
                "200",
                "--state-backend",
                backend));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("job-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  /** The newest complete retained checkpoint: the highest chk-N that has its _metadata. */
  static Optional<Path> lastCheckpoint(Path checkpoints) throws Exception {
    if (!Files.isDirectory(checkpoints)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(checkpoints, 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void resumingAKilledRunFromItsLastCheckpointGivesTheUninterruptedOutput(String backend)
      throws Exception {
    // LIF groups: their state is voltages and refractory periods, not spikes alone
    RandomEvents events = RandomEvents.lif(SEED + 3, 300_000, 3);
    Files.writeString(dir.resolve("groups.yaml"), events.groupsYaml());
    Files.write(dir.resolve("events.jsonl"), events.lines);
    Path output = dir.resolve("out");
    List<String> expected = events.expectedSpikes();

    Process job = start(output, backend);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Path checkpoints = output.resolve("checkpoints");
    while (lastCheckpoint(checkpoints).isEmpty()
        || OutputFiles.lines(output.resolve(JobIo.SPIKES)).isEmpty()) {
      assertThat(job.isAlive())
          .as("the run is still going when its first checkpoint lands")
          .isTrue();
      assertThat(System.nanoTime()).as("a checkpoint within 90 s").isLessThan(deadline);
      Thread.sleep(25);
    }
    job.destroyForcibly(); // SIGKILL
    assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(job.exitValue()).as("killed, not finished").isEqualTo(137);
    List<String> beforeResume = OutputFiles.lines(output.resolve(JobIo.SPIKES));
    assertThat(beforeResume.size()).isLessThan(expected.size());

    Path checkpoint = lastCheckpoint(checkpoints).orElseThrow();
    Process resumed = start(output, backend, "--from-savepoint", checkpoint.toString());
    assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).as("resumed run ends").isTrue();
    assertThat(resumed.exitValue()).isZero();

    assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES)))
        .as("seed %d, resumed from %s", SEED + 3, checkpoint)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER))).hasSize(events.badLines);
    assertThat(OutputFiles.lines(output.resolve(JobIo.LATE))).isEmpty();
    assertThat(new File(checkpoint.toFile(), "_metadata")).exists();
  }
}
