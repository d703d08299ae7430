package io.spikestream.job.io.camera;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.JobRuns;
import io.spikestream.job.OutputFiles;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.io.KafkaBroker;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import io.spikestream.job.io.evt3.Evt3Files;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * EVT 3.0 in Kafka record values (a real KRaft broker in this JVM, on loopback): each record a
 * chunk of a recording that decodes on its own (time-high word first, no header), read by the job
 * and batched per step; the spikes equal the same events as one JSON-lines file, and a record of
 * garbage is a dead letter naming its partition and offset. The last step comes out through {@code
 * --flush-idle-ms}, as a live stream's would.
 */
class KafkaCameraITCase {

  @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRuns.miniCluster();

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
  void recordsOfEvt3DecodeOnTheirOwnAndGiveTheSpikesOfTheSameEvents() throws Exception {
    Random random = new Random(20261202L);
    List<Event> recording = new ArrayList<>(CameraInputITCase.recording(random, 30_000, true));
    recording.sort(java.util.Comparator.comparingLong(Event::t));
    String topic = "camera";
    broker.createTopic(topic, 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    int garbageAt = 3;
    for (int from = 0, r = 0; from < recording.size(); from += 2_000, r++) {
      if (r == garbageAt) {
        records.add(new ProducerRecord<>(topic, 0, null, new byte[] {0x12, 0x34, 0x56}));
        lines.add("garbage");
      }
      List<Event> chunk = recording.subList(from, Math.min(recording.size(), from + 2_000));
      byte[] value = Evt3Files.record(chunk, 2048, random);
      records.add(new ProducerRecord<>(topic, 0, null, value));
      lines.addAll(jsonLines(value));
    }
    broker.produceBytes(records);

    // the same events as JSON lines, as one file: the expected output
    Files.writeString(dir.resolve("groups.yaml"), CameraInputITCase.GROUPS);
    Path json = dir.resolve("events.jsonl");
    Files.write(json, lines);
    JobOptions fromFile =
        JobRuns.options(
            dir.resolve("groups.yaml"), json, dir.resolve("expected"), "--parallelism", "1");
    JobRuns.build(fromFile, GroupsFile.parse(CameraInputITCase.GROUPS), s -> s).execute("json");
    List<String> expected = OutputFiles.lines(dir.resolve("expected").resolve(JobIo.SPIKES));

    Path output = dir.resolve("out");
    JobOptions fromKafka =
        JobOptions.parse(
            "--groups",
            dir.resolve("groups.yaml").toString(),
            "--input-topic",
            topic,
            "--kafka-bootstrap",
            broker.bootstrap(),
            "--input-format",
            "evt3",
            "--input-group",
            "cam",
            "--output",
            output.toString(),
            "--checkpoint-interval-ms",
            "200",
            "--parallelism",
            "1",
            "--flush-idle-ms",
            "500");
    JobClient job =
        JobRuns.build(fromKafka, GroupsFile.parse(CameraInputITCase.GROUPS), s -> s)
            .executeAsync("kafka camera");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (OutputFiles.lines(output.resolve(JobIo.SPIKES)).size() < expected.size()) {
        assertThat(System.nanoTime()).as("all spikes in time").isLessThan(deadline);
        Thread.sleep(200);
      }
      Thread.sleep(1000); // nothing more may come
    } finally {
      job.cancel().get();
    }
    assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES)))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER)))
        .anyMatch(letter -> letter.contains("\"source\":\"camera/0\",\"position\":" + garbageAt));
  }

  /** A record's events as the decoder reads them, one sparse JSON line each. */
  private static List<String> jsonLines(byte[] value) {
    RecordedEvents decoded = new RecordedEvents();
    AddressEventDecoder decoder = CameraFormat.EVT3.newDecoder(true);
    decoder.decode(ByteBuffer.wrap(value), decoded);
    decoder.finish(decoded);
    List<String> lines = new ArrayList<>();
    for (Event e : decoded.events()) {
      int index = e.p() * 45 * 80 + (e.y() / 16) * 80 + e.x() / 16;
      lines.add(
          "{\"group\":\"cam\",\"t\":"
              + (e.t() / 1000.0)
              + ",\"index\":["
              + index
              + "],\"current\":[0.25]}");
    }
    for (int i = 0; i < decoded.damages().size(); i++) {
      lines.add("damaged");
    }
    return lines;
  }
}
