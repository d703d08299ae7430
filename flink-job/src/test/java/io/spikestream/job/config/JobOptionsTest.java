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
  }

  @Test
  void everyOption() {
    JobOptions options = JobOptions.parse("--groups=g", "--input", "in", "--output", "out",
        "--monitor", "--monitor-interval-ms", "50", "--parallelism", "2", "--emit-voltage",
        "--checkpoint-dir", "file:///c", "--checkpoint-interval-ms", "200",
        "--state-backend", "rocksdb", "--from-savepoint", "/s/chk-3",
        "--out-of-orderness-ms", "5", "--idleness-ms", "0");
    assertThat(options).isEqualTo(new JobOptions(Path.of("g"), "in", true, 50, "out", 2, true,
        "file:///c", 200, "rocksdb", "/s/chk-3", 5, 0, false));
  }

  @Test
  void badOptionsAreClearErrors() {
    String[] base = {"--groups", "g", "--input", "i", "--output", "o"};
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--paralelism", "2")))
        .hasMessage("unknown option '--paralelism'");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--parallelism", "two")))
        .hasMessage("--parallelism 'two' is not an integer");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--parallelism", "0")))
        .hasMessage("--parallelism of 0 is out of range [1, 1024]");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--state-backend", "memory")))
        .hasMessage("--state-backend 'memory' is not one of: hashmap, rocksdb");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--checkpoint-dir")))
        .hasMessage("option --checkpoint-dir needs a value");
    assertThatThrownBy(() -> JobOptions.parse("--input", "i", "--output", "o"))
        .hasMessage("option --groups is required");
    assertThatThrownBy(() -> JobOptions.parse(concat(base, "--monitor=yes")))
        .hasMessage("option --monitor takes no value");
    assertThat(JobOptions.parse("--help").help()).isTrue();
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
