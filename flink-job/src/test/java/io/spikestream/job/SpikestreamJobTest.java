package io.spikestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.junit.jupiter.api.Test;

/** How the job's options become its event time and Flink configuration. */
class SpikestreamJobTest {

  private static JobOptions options(String... more) {
    String[] args = new String[6 + more.length];
    System.arraycopy(
        new String[] {"--groups", "g", "--input", "in", "--output", "out"}, 0, args, 0, 6);
    System.arraycopy(more, 0, args, 6, more.length);
    return JobOptions.parse(args);
  }

  @Test
  void alignedInputSplitsMayDriftAtMostMaxDrift() {
    WatermarkAlignmentParams aligned =
        SpikestreamJob.eventTime(options("--max-drift-ms", "100"), true).getAlignmentParameters();
    assertThat(aligned.isEnabled()).isTrue();
    assertThat(aligned.getWatermarkGroup()).isEqualTo(SpikestreamJob.ALIGNMENT_GROUP);
    assertThat(aligned.getMaxAllowedWatermarkDrift()).isEqualTo(100);
    assertThat(aligned.getUpdateInterval()).isEqualTo(10);

    assertThat(SpikestreamJob.eventTime(options(), true).getAlignmentParameters().isEnabled())
        .as("not aligned by default: Flink 2.2 would cap the speed of a replay")
        .isFalse();
    assertThat(
            SpikestreamJob.eventTime(options("--max-drift-ms", "100"), false)
                .getAlignmentParameters()
                .isEnabled())
        .isFalse();
  }

  /**
   * Events in flight carry their group as an index into the groups file: no checkpoint may store
   * them, even where a cluster's configuration turns unaligned checkpoints on.
   */
  @Test
  void checkpointsAreAlignedWhateverTheClusterSays() {
    Configuration cluster = new Configuration();
    cluster.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
    cluster.addAll(SpikestreamJob.configuration(options()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);
    assertThat(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()).isFalse();
    assertThat(env.getCheckpointInterval()).isPositive();
  }

  /**
   * TaskManagers take the permission to pause a file reader as a whole from their own
   * configuration: file input is aligned only where it is given (the embedded cluster, docker/),
   * Kafka input always (its readers pause single partitions).
   */
  @Test
  void fileInputIsAlignedOnlyWhereAReaderMayBePausedAsAWhole() {
    assertThat(
            SpikestreamJob.configuration(options())
                .get(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS))
        .isTrue();
    JobOptions files = options("--max-drift-ms", "100");
    assertThat(sourceAligned(files, true)).isTrue();
    assertThat(sourceAligned(files, false)).isFalse();
    JobOptions kafka =
        JobOptions.parse(
            "--groups",
            "g",
            "--input-topic",
            "events",
            "--kafka-bootstrap",
            "127.0.0.1:9",
            "--output",
            "out",
            "--max-drift-ms",
            "100");
    assertThat(sourceAligned(kafka, false)).isTrue();
  }

  private static boolean sourceAligned(JobOptions options, boolean readersMayPause) {
    Configuration config = SpikestreamJob.configuration(options);
    config.set(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS, readersMayPause);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    new SpikestreamJob(
            Fixtures.groups(),
            options,
            SpikestreamJob.input(options, Fixtures.groups()),
            JobIo.spikeLines("out"),
            JobIo.jsonLines("out", JobIo.LATE),
            JobIo.jsonLines("out", JobIo.DEAD_LETTER))
        .build(env);
    Deque<Transformation<?>> todo = new ArrayDeque<>(env.getTransformations());
    while (!todo.isEmpty()) {
      Transformation<?> next = todo.pop();
      if (next instanceof SourceTransformation<?, ?, ?> source) {
        return source.getWatermarkStrategy().getAlignmentParameters().isEnabled();
      }
      todo.addAll(next.getInputs());
    }
    throw new AssertionError("no source in the job");
  }
}
