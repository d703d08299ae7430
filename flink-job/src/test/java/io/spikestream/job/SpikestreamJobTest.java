package io.spikestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.config.JobOptions;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;

/** How the job's options become its event time and Flink configuration. */
class SpikestreamJobTest {

  private static JobOptions options(String... more) {
    String[] args = new String[6 + more.length];
    System.arraycopy(new String[] {"--groups", "g", "--input", "in", "--output", "out"}, 0,
        args, 0, 6);
    System.arraycopy(more, 0, args, 6, more.length);
    return JobOptions.parse(args);
  }

  @Test
  void inputSplitsAreAlignedWithinTheMaxDrift() {
    WatermarkAlignmentParams aligned =
        SpikestreamJob.eventTime(options()).getAlignmentParameters();
    assertThat(aligned.isEnabled()).isTrue();
    assertThat(aligned.getWatermarkGroup()).isEqualTo(SpikestreamJob.ALIGNMENT_GROUP);
    assertThat(aligned.getMaxAllowedWatermarkDrift()).isEqualTo(100);
    assertThat(aligned.getUpdateInterval()).isEqualTo(20);

    WatermarkAlignmentParams wide =
        SpikestreamJob.eventTime(options("--max-drift-ms", "60000")).getAlignmentParameters();
    assertThat(wide.getMaxAllowedWatermarkDrift()).isEqualTo(60_000);
    assertThat(wide.getUpdateInterval()).isEqualTo(Duration.ofSeconds(1).toMillis());

    assertThat(SpikestreamJob.eventTime(options("--max-drift-ms", "0"))
            .getAlignmentParameters().isEnabled())
        .isFalse();
  }

  @Test
  void fileReadersMayBePausedAsAWhole() {
    assertThat(SpikestreamJob.configuration(options())
            .get(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS))
        .isTrue();
  }
}
