package io.spikestream.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

  @Test
  void defaults() {
    JobOptions options = JobOptions.parse("--groups", "g.yaml", "--input", "in", "--output", "out");
    assertThat(options.groups()).isEqualTo(Path.of("g.yaml"));
    assertThat(options.monitor()).isFalse();
    assertThat(options.parallelism()).isZero();
    assertThat(options.checkpointDir()).isEqualTo(Path.of("out", "checkpoints").toString());
    assertThat(options.checkpointIntervalMs()).isEqualTo(1000);
    assertThat(options.stateBackend()).isEqualTo("hashmap");
    assertThat(options.outOfOrdernessMs()).isZero();
    assertThat(options.idlenessMs()).isEqualTo(1000);
    assertThat(options.fromSavepoint()).isNull();
    assertThat(options.kafka()).isNull();
    assertThat(options.watermarkIntervalMs()).isEqualTo(200);
    assertThat(options.maxDriftMs()).isZero();
  }

  @Test
  void everyOption() {
    JobOptions options =
        JobOptions.parse(
            "--groups=g",
            "--input",
            "in",
            "--output",
            "out",
            "--monitor",
            "--monitor-interval-ms",
            "50",
            "--parallelism",
            "2",
            "--emit-voltage",
            "--checkpoint-dir",
            "file:///c",
            "--checkpoint-interval-ms",
            "200",
            "--state-backend",
            "rocksdb",
            "--from-savepoint",
            "/s/chk-3",
            "--out-of-orderness-ms",
            "5",
            "--idleness-ms",
            "0",
            "--watermark-interval-ms",
            "20",
            "--max-drift-ms",
            "0",
            "--overwrite",
            "--flush-idle-ms",
            "250",
            "--progress-interval-ms",
            "1000",
            "--quiet",
            "--metrics-port",
            "9249");
    assertThat(options)
        .isEqualTo(
            new JobOptions(
                Path.of("g"),
                "in",
                "json",
                null,
                true,
                50,
                "out",
                true,
                null,
                2,
                true,
                "file:///c",
                200,
                "rocksdb",
                "/s/chk-3",
                5,
                0,
                20,
                0,
                250,
                1000,
                true,
                9249));
    assertThat(
            JobOptions.parse(
                    "--groups", "g", "--input", "in", "--output", "out", "--max-drift-ms", "250")
                .maxDriftMs())
        .isEqualTo(250);
  }

  @Test
  void noWatermarkAlignmentWhileWatchingADirectory() {
    assertThat(
            JobOptions.parse("--groups", "g", "--input", "in", "--output", "out", "--monitor")
                .maxDriftMs())
        .isZero();
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups",
                    "g",
                    "--input",
                    "in",
                    "--output",
                    "out",
                    "--monitor",
                    "--max-drift-ms",
                    "50"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("option --max-drift-ms cannot be used with --monitor");
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups", "g", "--input", "in", "--output", "out", "--max-drift-ms", "-1"))
        .hasMessage("--max-drift-ms of -1 is out of range [0, 9223372036854775807]");
  }

  @Test
  void kafkaTopicsWithTheirNamingRule() {
    JobOptions options =
        JobOptions.parse(
            "--groups",
            "g",
            "--input-topic",
            "events",
            "--output-topic",
            "spikes",
            "--kafka-bootstrap",
            "127.0.0.1:9092",
            "--checkpoint-dir",
            "/c");
    assertThat(options.input()).isNull();
    assertThat(options.output()).isNull();
    assertThat(options.kafka())
        .isEqualTo(
            new KafkaOptions(
                "127.0.0.1:9092",
                "events",
                "spikes",
                "spikes-late",
                "spikes-dead-letter",
                "spikestream",
                600_000));

    KafkaOptions named =
        JobOptions.parse(
                "--groups",
                "g",
                "--input",
                "in",
                "--output-topic",
                "s",
                "--kafka-bootstrap",
                "k:1",
                "--checkpoint-dir",
                "/c",
                "--late-topic",
                "l",
                "--dead-letter-topic",
                "d",
                "--kafka-transaction-timeout-ms",
                "60000")
            .kafka();
    assertThat(named)
        .isEqualTo(new KafkaOptions("k:1", null, "s", "l", "d", "spikestream", 60_000));

    JobOptions kafkaIn =
        JobOptions.parse(
            "--groups",
            "g",
            "--input-topic",
            "events",
            "--kafka-bootstrap",
            "k:1",
            "--kafka-group-id",
            "sim",
            "--output",
            "out");
    assertThat(kafkaIn.kafka())
        .isEqualTo(new KafkaOptions("k:1", "events", null, null, null, "sim", 600_000));
    assertThat(kafkaIn.checkpointDir()).isEqualTo(Path.of("out", "checkpoints").toString());
  }

  @Test
  void contradictingOrIncompleteKafkaOptionsAreClearErrors() {
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups",
                    "g",
                    "--input",
                    "i",
                    "--input-topic",
                    "t",
                    "--output",
                    "o",
                    "--kafka-bootstrap",
                    "k:1"))
        .hasMessage("options --input and --input-topic exclude each other; give one");
    assertThatThrownBy(() -> JobOptions.parse("--groups", "g", "--output", "o"))
        .hasMessage("option --input or --input-topic is required");
    assertThatThrownBy(
            () -> JobOptions.parse("--groups", "g", "--input-topic", "t", "--output", "o"))
        .hasMessage("option --kafka-bootstrap is required with --input-topic or --output-topic");
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups",
                    "g",
                    "--input",
                    "i",
                    "--output-topic",
                    "t",
                    "--kafka-bootstrap",
                    "k:1"))
        .hasMessage("option --checkpoint-dir is required with --output-topic");
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups", "g", "--input", "i", "--output", "o", "--kafka-bootstrap", "k:1"))
        .hasMessage("option --kafka-bootstrap needs --input-topic or --output-topic");
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups",
                    "g",
                    "--input-topic",
                    "t",
                    "--output",
                    "o",
                    "--kafka-bootstrap",
                    "k:1",
                    "--late-topic",
                    "l"))
        .hasMessage("option --late-topic needs --output-topic");
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups",
                    "g",
                    "--input-topic",
                    "t",
                    "--output",
                    "o",
                    "--kafka-bootstrap",
                    "k:1",
                    "--monitor"))
        .hasMessage("option --monitor needs --input (files), not a topic");
    assertThatThrownBy(
            () ->
                JobOptions.parse(
                    "--groups",
                    "g",
                    "--input",
                    "i",
                    "--output",
                    "o",
                    "--watermark-interval-ms",
                    "0"))
        .hasMessage("--watermark-interval-ms of 0 is out of range [1, 60000]");
  }

  @Test
  void badOptionsAreClearErrors() {
    String[] base = {"--groups", "g", "--input", "i", "--output", "o"};
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--paralelism", "2")))
        .hasMessage("unknown option '--paralelism' (did you mean --parallelism?)");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--parallelism", "two")))
        .hasMessage("Invalid value for option '--parallelism': 'two' is not an int");
    assertThatThrownBy(
            () -> JobOptions.parse(concat(base, "--parallelism", "2", "--parallelism=3")))
        .hasMessage("option --parallelism is given twice");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "stray")))
        .hasMessage("unexpected argument 'stray'");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--parallelism", "0")))
        .hasMessage("--parallelism of 0 is out of range [1, 1024]");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--state-backend", "memory")))
        .hasMessage("--state-backend 'memory' is not one of: hashmap, rocksdb");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--checkpoint-dir")))
        .hasMessage("Missing required parameter for option '--checkpoint-dir' (DIR)");
    assertThatThrownBy(() -> JobOptions.parse("--input", "i", "--output", "o"))
        .hasMessage("option --groups is required");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--monitor=yes")))
        .hasMessage("Invalid value for option '--monitor': 'yes' is not a boolean");
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
