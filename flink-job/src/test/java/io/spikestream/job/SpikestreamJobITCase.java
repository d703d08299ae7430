package io.spikestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole job on a MiniCluster with real files: exact output, faults and rescaling. */
class SpikestreamJobITCase {

  @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRuns.miniCluster();

  private static final long SEED = Long.getLong("spikestream.seed", 20261123L);

  @TempDir Path dir;

  @Test
  void exampleGivesTheDocumentedSpikes() throws Exception {
    Path groups = Path.of("../examples/groups.yaml");
    Path output = dir.resolve("out");
    JobOptions options =
        JobRuns.options(groups, Path.of("../examples/events.jsonl"), output, "--parallelism", "2");
    JobRuns.build(options, GroupsFile.load(groups), s -> s).execute("example");

    assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES)))
        .containsExactlyInAnyOrder(
            "{\"group\":\"retina\",\"step\":0,\"t\":0.0,\"spikes\":[2,4,7,9,12,14]}",
            "{\"group\":\"retina\",\"step\":1,\"t\":1.0,\"spikes\":[0,3,5,8,10,13,15]}",
            "{\"group\":\"retina\",\"step\":2,\"t\":2.0,\"spikes\":[1,4,6,9,11,14]}",
            "{\"group\":\"retina\",\"step\":3,\"t\":3.0,\"spikes\":[0,5,10,15]}",
            "{\"group\":\"retina\",\"step\":4,\"t\":4.0,\"spikes\":[2,3]}",
            "{\"group\":\"cochlea\",\"step\":0,\"t\":0.0,\"spikes\":[0,8]}",
            "{\"group\":\"cochlea\",\"step\":1,\"t\":0.5,\"spikes\":[11]}",
            "{\"group\":\"cochlea\",\"step\":2,\"t\":1.0,\"spikes\":[9,10,11,12,13,14,15]}");
    assertThat(OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER))).hasSize(4);
    assertThat(OutputFiles.lines(output.resolve(JobIo.LATE))).isEmpty();
  }

  private static RandomEvents random(String model, long seed, int events) {
    return model.equals("lif")
        ? RandomEvents.lif(seed, events, 3)
        : new RandomEvents(seed, events, 3);
  }

  private RandomEvents write(RandomEvents events) throws Exception {
    Files.writeString(dir.resolve("groups.yaml"), events.groupsYaml());
    Files.write(dir.resolve("events.jsonl"), events.lines);
    return events;
  }

  private JobOptions options(Path output, String... extra) {
    return JobRuns.options(dir.resolve("groups.yaml"), dir.resolve("events.jsonl"), output, extra);
  }

  private static void assertExact(RandomEvents events, Path output) throws Exception {
    List<String> spikes = OutputFiles.lines(output.resolve(JobIo.SPIKES));
    assertThat(spikes)
        .as("seed %d", SEED)
        .containsExactlyInAnyOrderElementsOf(events.expectedSpikes());
    assertThat(OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER))).hasSize(events.badLines);
    assertThat(OutputFiles.lines(output.resolve(JobIo.LATE))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void randomStreamMatchesAPerStepComputation(String backend) throws Exception {
    RandomEvents events = write(new RandomEvents(SEED, 5000, 3));
    Path output = dir.resolve("out");
    JobRuns.build(
            options(
                output,
                "--parallelism",
                "2",
                "--out-of-orderness-ms",
                "3",
                "--state-backend",
                backend),
            events.groups,
            s -> s)
        .execute("random " + backend);
    assertExact(events, output);
  }

  /**
   * A directory of twelve files whose names follow their event time ({@code events-2} before {@code
   * events-10}), read by one reader: it is given them in that order, not the directory listing's or
   * the names' character order, so no event is late.
   */
  @Test
  void aDirectoryIsReadInTheNaturalOrderOfItsFileNames() throws Exception {
    RandomEvents events = write(new RandomEvents(SEED + 4, 6000, 3));
    Path input = Files.createDirectories(dir.resolve("in"));
    int files = 12;
    for (int n = 0; n < files; n++) {
      int from = events.lines.size() * n / files;
      int to = events.lines.size() * (n + 1) / files;
      Files.write(input.resolve("events-" + (n + 1) + ".jsonl"), events.lines.subList(from, to));
    }
    Path output = dir.resolve("out");
    JobRuns.build(
            JobRuns.options(
                dir.resolve("groups.yaml"),
                input,
                output,
                "--parallelism",
                "1",
                "--out-of-orderness-ms",
                "3"),
            events.groups,
            s -> s)
        .execute("files in name order");
    assertExact(events, output);
  }

  @ParameterizedTest
  @CsvSource({"exact, hashmap", "exact, rocksdb", "lif, hashmap", "lif, rocksdb"})
  void aFailureMidStreamGivesTheFaultFreeOutput(String model, String backend) throws Exception {
    RandomEvents events = write(random(model, SEED + 1, 6000));
    Path output = dir.resolve("out");
    JobRuns.build(
            options(
                output,
                "--parallelism",
                "2",
                "--out-of-orderness-ms",
                "3",
                "--state-backend",
                backend),
            events.groups,
            JobRuns.failOnce(4, 200))
        .execute("failure " + backend);
    assertThat(JobRuns.FailOnce.failed).isTrue();
    assertThat(JobRuns.FailOnce.opened.get()).as("the tap restarted").isGreaterThan(2);
    assertExact(events, output);
  }

  @ParameterizedTest
  @CsvSource({"exact, hashmap", "exact, rocksdb", "lif, hashmap", "lif, rocksdb"})
  void savepointHalfwayThenRescaleOneToTwoGivesTheStraightOutput(String model, String backend)
      throws Exception {
    RandomEvents events = write(random(model, SEED + 2, 6000));
    Path output = dir.resolve("out");
    JobOptions first =
        options(
            output, "--parallelism", "1", "--out-of-orderness-ms", "3", "--state-backend", backend);
    JobClient job = JobRuns.build(first, events.groups, JobRuns.paced(3)).executeAsync("first");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (OutputFiles.lines(output.resolve(JobIo.SPIKES)).isEmpty()) {
      assertThat(System.nanoTime()).as("first commit before the deadline").isLessThan(deadline);
      Thread.sleep(20);
    }
    String savepoint =
        job.stopWithSavepoint(
                false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get();
    int halfway = OutputFiles.lines(output.resolve(JobIo.SPIKES)).size();
    assertThat(halfway).isLessThan(events.expectedSpikes().size());

    JobOptions second =
        options(
            output,
            "--parallelism",
            "2",
            "--out-of-orderness-ms",
            "3",
            "--state-backend",
            backend,
            "--from-savepoint",
            savepoint);
    JobRuns.build(second, events.groups, JobRuns.paced(1_000_000)).execute("second");
    assertExact(events, output);
  }

  /**
   * A monitored directory read to the end, its readers idle, then {@code stop --drain}: the last
   * steps, still pending, run before the job ends. (Flink 2.2 may drop the final watermark of an
   * idle source, FLINK-40499; seen on the local cluster, not reliably here, so the operator's own
   * guard, running pending steps at the end of its input, is tested in NeuronStepOperatorTest.)
   */
  @Test
  void drainingAnIdleMonitoredRunRunsItsLastSteps() throws Exception {
    RandomEvents events = write(new RandomEvents(SEED + 3, 3000, 3));
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.copy(dir.resolve("events.jsonl"), input.resolve("events.jsonl"));
    Path output = dir.resolve("out");
    JobOptions options =
        JobRuns.options(
            dir.resolve("groups.yaml"),
            input,
            output,
            "--parallelism",
            "2",
            "--out-of-orderness-ms",
            "3",
            "--monitor",
            "--monitor-interval-ms",
            "100",
            "--idleness-ms",
            "200");
    JobClient job = JobRuns.build(options, events.groups, s -> s).executeAsync("monitor");
    // read to the end: the committed output stops growing, and the readers have gone idle
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int committed = -1;
    while (OutputFiles.lines(output.resolve(JobIo.SPIKES)).size() != committed || committed == 0) {
      assertThat(System.nanoTime()).as("input read before the deadline").isLessThan(deadline);
      committed = OutputFiles.lines(output.resolve(JobIo.SPIKES)).size();
      Thread.sleep(1000);
    }
    assertThat(committed)
        .as("steps still pending before the drain")
        .isLessThan(events.expectedSpikes().size());
    job.stopWithSavepoint(
            true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get();
    assertExact(events, output);
  }
}
