package io.spikestream.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.JobRuns;
import io.spikestream.job.RandomEvents;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job between real Kafka topics (a KRaft broker in this JVM, on loopback): input lines from a
 * topic of three partitions, spike, late and dead-letter records to their topics in transactions,
 * read back with {@code read_committed} and compared with a per-step loop.
 *
 * <p>Events are partitioned by group, so each partition is in event-time order; one partition stays
 * empty and must not hold the job back longer than {@code --idleness-ms}. Partition 0 is produced
 * whole before partition 1, so a watermark taken per reader instead of per partition would make
 * partition 1's events late. An unbounded source never ends, so each partition ends with a flush
 * event far in the future whose own step stays pending.
 */
class KafkaJobITCase {

  @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRuns.miniCluster();

  private static final long SEED = Long.getLong("spikestream.seed", 20261124L);
  private static final Pattern GROUP = Pattern.compile("\"group\":\"(group-\\d)\"");

  @TempDir static Path brokerDir;
  private static KafkaBroker broker;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(brokerDir);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void spikesAreExactAndPerPartitionWatermarksKeepNothingLate() throws Exception {
    Outcome outcome = run("plain", new RandomEvents(SEED, 4000, 3), "1", events -> events);
    outcome.assertExact();
  }

  @Test
  void aFailureMidRunNeitherLosesNorDuplicatesARecord() throws Exception {
    JobRuns.FailOnce.failed.set(false);
    Outcome outcome =
        run("failure", new RandomEvents(SEED + 1, 6000, 3), "2", JobRuns.failOnce(4, 300));
    assertThat(JobRuns.FailOnce.failed).as("the failure was injected").isTrue();
    outcome.assertExact();
  }

  private Outcome run(
      String name,
      RandomEvents events,
      String parallelism,
      UnaryOperator<DataStream<InputEvent>> tap)
      throws Exception {
    String in = name + "-events";
    String out = name + "-spikes";
    broker.createTopic(in, 3);
    for (String topic : List.of(out, out + "-late", out + "-dead-letter")) {
      broker.createTopic(topic, 2);
    }
    List<ProducerRecord<String, String>> records = records(in, events);
    broker.produce(records);

    Files.writeString(dir.resolve("groups.yaml"), events.groupsYaml());
    JobOptions options =
        JobOptions.parse(
            "--groups",
            dir.resolve("groups.yaml").toString(),
            "--input-topic",
            in,
            "--output-topic",
            out,
            "--kafka-bootstrap",
            broker.bootstrap(),
            "--checkpoint-dir",
            dir.resolve("checkpoints").toString(),
            "--checkpoint-interval-ms",
            "200",
            "--parallelism",
            parallelism,
            "--idleness-ms",
            "500",
            "--out-of-orderness-ms",
            "3");
    JobClient job = JobRuns.build(options, events.groups, tap).executeAsync(name);
    try {
      List<String> expected = events.expectedSpikes();
      Duration timeout = Duration.ofSeconds(90);
      Duration settle = Duration.ofSeconds(2);
      List<ConsumerRecord<String, String>> spikes =
          broker.readCommitted(out, expected.size(), timeout, settle);
      return new Outcome(
          expected,
          spikes,
          broker.readCommitted(out + "-late", 0, timeout, settle),
          broker.readCommitted(out + "-dead-letter", events.badLines + 1, timeout, settle),
          events.badLines + 1,
          in,
          nullValueOffset(records));
    } finally {
      job.cancel().get();
    }
  }

  /** The lines by group's partition (0: groups 0-1, 1: groups 2-3, 2: none), then flushes. */
  private static List<ProducerRecord<String, String>> records(String topic, RandomEvents events) {
    List<ProducerRecord<String, String>> first = new ArrayList<>();
    List<ProducerRecord<String, String>> second = new ArrayList<>();
    for (String line : events.lines) {
      Matcher group = GROUP.matcher(line);
      String key = group.find() ? group.group(1) : null;
      boolean inFirst = key == null || key.equals("group-0") || key.equals("group-1");
      (inFirst ? first : second).add(new ProducerRecord<>(topic, inFirst ? 0 : 1, key, line));
    }
    first.add(new ProducerRecord<>(topic, 0, null, null)); // a record without a value
    first.add(flush(topic, 0, "group-0"));
    second.add(flush(topic, 1, "group-2"));
    first.addAll(second);
    return first;
  }

  private static ProducerRecord<String, String> flush(String topic, int partition, String group) {
    return new ProducerRecord<>(
        topic, partition, group, "{\"group\":\"" + group + "\",\"t\":1.0E9,\"override\":[]}");
  }

  /** The offset of the record without a value in its partition (0): the records before it. */
  private static long nullValueOffset(List<ProducerRecord<String, String>> records) {
    long offset = 0;
    for (ProducerRecord<String, String> record : records) {
      if (record.partition() == 0) {
        if (record.value() == null) {
          return offset;
        }
        offset++;
      }
    }
    throw new IllegalStateException("no record without a value");
  }

  private record Outcome(
      List<String> expected,
      List<ConsumerRecord<String, String>> spikes,
      List<ConsumerRecord<String, String>> late,
      List<ConsumerRecord<String, String>> deadLetters,
      int expectedDeadLetters,
      String inputTopic,
      long nullValueOffset) {

    void assertExact() {
      assertThat(spikes.stream().map(ConsumerRecord::value).toList())
          .containsExactlyInAnyOrderElementsOf(expected);
      for (ConsumerRecord<String, String> record : spikes) {
        assertThat(record.key()).isEqualTo(EventCodec.groupOf(record.value()));
      }
      assertThat(late).isEmpty();
      assertThat(deadLetters).hasSize(expectedDeadLetters);
      assertThat(deadLetters).allSatisfy(record -> assertThat(record.key()).isNull());
      // each says where it was read: the topic's partition and the record's offset
      assertThat(deadLetters.stream().map(ConsumerRecord::value))
          .allMatch(
              value ->
                  value.matches(".*\"source\":\"" + inputTopic + "/[01]\",\"position\":\\d+.*"))
          .contains(
              "{\"reason\":\"record without a value\",\"source\":\""
                  + inputTopic
                  + "/0\",\"position\":"
                  + nullValueOffset
                  + "}");
    }
  }
}
