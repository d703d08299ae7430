package io.spikestream.job.io;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.KafkaOptions;
import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.ParsedLine;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.job.io.camera.CameraFiles;
import io.spikestream.job.io.camera.CameraFormat;
import io.spikestream.job.io.camera.CameraRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job's sources and sinks: files and Kafka topics.
 *
 * <p>Sources parse each line into a {@link ParsedLine} as they read it, so that event time is taken
 * per input split (a file, a Kafka partition) and a slow or idle split holds the watermark back
 * only as long as {@code --idleness-ms} says.
 *
 * <p>Sinks write JSON lines exactly once: part files committed on checkpoints, named {@code
 * part-<uuid>-<subtask>-<n>.jsonl} (files being written are hidden, {@code .part-...inprogress...},
 * until committed); or Kafka transactions committed on checkpoints, keyed by group id.
 */
public final class JobIo {

  /** Output subdirectory of the spike records. */
  public static final String SPIKES = "spikes";

  /** Output subdirectory of the late events. */
  public static final String LATE = "late";

  /** Output subdirectory of the dead letters. */
  public static final String DEAD_LETTER = "dead-letter";

  private JobIo() {}

  /**
   * A source of the parsed UTF-8 lines of a file or of every file in a directory, the files handed
   * to the readers in the natural order of their names ({@link NameOrderAssigner}); while watching
   * a directory, a reader that waits for its next file does not hold the watermark back (see {@link
   * IdleWhenWaiting}).
   *
   * @param input a file or directory, path or URI
   * @param groups the known groups by id
   * @param monitorInterval how often to look for new files; null for a bounded read
   * @return the source
   */
  public static Source<ParsedLine, ?, ?> files(
      String input, Map<String, GroupConfig> groups, Duration monitorInterval) {
    FileSource.FileSourceBuilder<ParsedLine> source =
        FileSource.forBulkFileFormat(
                new Sourced(new StreamFormatAdapter<>(new ParsedLines(groups))), new Path(input))
            .setSplitAssigner(NameOrderAssigner.provider());
    if (monitorInterval == null) {
      return source.build();
    }
    source.monitorContinuously(monitorInterval);
    return new IdleWhenWaiting<>(source.build(), TypeInformation.of(ParsedLine.class));
  }

  /**
   * A source of the events of event-camera files: a file, or every file in a directory, each
   * decoded whole and its events batched per step for one group (see {@link CameraFiles}), handed
   * out in the natural order of their names; while watching a directory, a reader that waits for
   * its next file does not hold the watermark back.
   *
   * @param input a file or directory, path or URI
   * @param format the files' format
   * @param group the group every event goes to
   * @param outOfOrdernessMs the input's bounded out-of-orderness, in ms
   * @param monitorInterval how often to look for new files; null for a bounded read
   * @return the source
   */
  public static Source<ParsedLine, ?, ?> cameraFiles(
      String input,
      CameraFormat format,
      GroupConfig group,
      long outOfOrdernessMs,
      Duration monitorInterval) {
    FileSource.FileSourceBuilder<ParsedLine> source =
        FileSource.forBulkFileFormat(
                new CameraFiles(format, group, outOfOrdernessMs), new Path(input))
            .setSplitAssigner(NameOrderAssigner.provider());
    if (monitorInterval == null) {
      return source.build();
    }
    source.monitorContinuously(monitorInterval);
    return new IdleWhenWaiting<>(source.build(), TypeInformation.of(ParsedLine.class));
  }

  /**
   * A source of the events of a Kafka topic whose record values hold event-camera data, each record
   * decoded on its own (see {@link CameraRecords}); read as {@link #kafka} reads.
   *
   * @param kafka the brokers, topic and consumer group
   * @param format the record values' format
   * @param group the group every event goes to
   * @param outOfOrdernessMs the input's bounded out-of-orderness, in ms
   * @return the source
   */
  public static KafkaSource<ParsedLine> kafkaCamera(
      KafkaOptions kafka, CameraFormat format, GroupConfig group, long outOfOrdernessMs) {
    return kafkaSource(kafka, new CameraRecords(format, group, outOfOrdernessMs));
  }

  /**
   * A source of the parsed values of a Kafka topic's records (keys are ignored), read with {@code
   * read_committed}; a new job starts at the group's committed offsets or else at the earliest, a
   * resumed one where its checkpoint says. A record without a value, or whose bytes are not valid
   * UTF-8 JSON, becomes a dead letter.
   *
   * @param kafka the brokers, topic and consumer group
   * @param groups the known groups by id
   * @return the source
   */
  public static KafkaSource<ParsedLine> kafka(KafkaOptions kafka, Map<String, GroupConfig> groups) {
    return kafkaSource(kafka, new KafkaLines(groups));
  }

  private static KafkaSource<ParsedLine> kafkaSource(
      KafkaOptions kafka, KafkaRecordDeserializationSchema<ParsedLine> values) {
    return KafkaSource.<ParsedLine>builder()
        .setBootstrapServers(kafka.bootstrap())
        .setTopics(kafka.inputTopic())
        .setGroupId(kafka.groupId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(values)
        .setProperty("isolation.level", "read_committed")
        .build();
  }

  /**
   * An exactly-once sink of JSON lines into one output subdirectory.
   *
   * @param output the output directory, path or URI
   * @param name the subdirectory, {@link #LATE} or {@link #DEAD_LETTER}
   * @return the sink of lines, each without its line break
   */
  public static FileSink<String> jsonLines(String output, String name) {
    return fileSink(output, name, JsonLinesWriter.LineFormat.of(line -> line));
  }

  /**
   * The exactly-once sink of spike records, as JSON lines, into {@link #SPIKES} of an output
   * directory.
   *
   * @param output the output directory, path or URI
   * @return the sink
   */
  public static FileSink<SpikeRecord> spikeLines(String output) {
    return fileSink(output, SPIKES, EventCodec::format);
  }

  private static <T> FileSink<T> fileSink(
      String output, String name, JsonLinesWriter.LineFormat<T> format) {
    return FileSink.forBulkFormat(new Path(output, name), new JsonLinesWriter.Factory<>(format))
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
        .build();
  }

  /**
   * An exactly-once sink of JSON lines into a Kafka topic: records keyed by their group id (none
   * for dead letters), written in transactions that commit on checkpoints; consumers see them once
   * with {@code isolation.level=read_committed}.
   *
   * @param kafka the brokers and the transaction timeout
   * @param topic the topic
   * @return the sink of lines, each without its line break
   */
  public static KafkaSink<String> kafkaLines(KafkaOptions kafka, String topic) {
    return kafkaSink(kafka, topic, EventCodec::groupOf, line -> line);
  }

  /**
   * The exactly-once sink of spike records, as JSON lines keyed by their group id, into a Kafka
   * topic; see {@link #kafkaLines}.
   *
   * @param kafka the brokers and the transaction timeout
   * @param topic the topic
   * @return the sink
   */
  public static KafkaSink<SpikeRecord> kafkaSpikes(KafkaOptions kafka, String topic) {
    return kafkaSink(kafka, topic, record -> record.group, EventCodec::format);
  }

  private static <T> KafkaSink<T> kafkaSink(
      KafkaOptions kafka,
      String topic,
      SerializableFunction<T, String> groupOf,
      SerializableFunction<T, String> lineOf) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(kafka.bootstrap())
        .setRecordSerializer(new KeyedByGroup<>(topic, groupOf, lineOf))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        // one prefix per topic: the sinks of one job must not share transactional ids
        .setTransactionalIdPrefix("spikestream-" + topic)
        .setProperty("transaction.timeout.ms", Long.toString(kafka.transactionTimeoutMs()))
        .build();
  }

  /**
   * The path of a file as its dead letters name it: a local file's path, else its URI.
   *
   * @param path a file's path in Flink
   * @return for example {@code /data/events.jsonl}
   */
  static String sourceName(Path path) {
    java.net.URI uri = path.toUri();
    return uri.getScheme() == null || uri.getScheme().equals("file")
        ? uri.getPath()
        : uri.toString();
  }

  /**
   * Lines of files with their dead letters naming the file: a text format knows its line numbers
   * but not its file, which only the split knows.
   */
  private static final class Sourced implements BulkFormat<ParsedLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private final BulkFormat<ParsedLine, FileSourceSplit> lines;

    Sourced(BulkFormat<ParsedLine, FileSourceSplit> lines) {
      this.lines = lines;
    }

    @Override
    public BulkFormat.Reader<ParsedLine> createReader(Configuration config, FileSourceSplit split)
        throws IOException {
      return new SourcedReader(lines.createReader(config, split), sourceName(split.path()));
    }

    @Override
    public BulkFormat.Reader<ParsedLine> restoreReader(Configuration config, FileSourceSplit split)
        throws IOException {
      return new SourcedReader(lines.restoreReader(config, split), sourceName(split.path()));
    }

    @Override
    public boolean isSplittable() {
      return lines.isSplittable();
    }

    @Override
    public TypeInformation<ParsedLine> getProducedType() {
      return lines.getProducedType();
    }
  }

  /** A reader that names the file in each dead letter it passes on. */
  private static final class SourcedReader implements BulkFormat.Reader<ParsedLine> {
    private final BulkFormat.Reader<ParsedLine> reader;
    private final String source;

    SourcedReader(BulkFormat.Reader<ParsedLine> reader, String source) {
      this.reader = reader;
      this.source = source;
    }

    @Override
    public BulkFormat.RecordIterator<ParsedLine> readBatch() throws IOException {
      BulkFormat.RecordIterator<ParsedLine> batch = reader.readBatch();
      if (batch == null) {
        return null;
      }
      return new BulkFormat.RecordIterator<>() {
        @Override
        public RecordAndPosition<ParsedLine> next() {
          RecordAndPosition<ParsedLine> next = batch.next();
          if (next != null && next.getRecord().deadLetter != null) {
            next.getRecord().deadLetter.source = source;
          }
          return next;
        }

        @Override
        public void releaseBatch() {
          batch.releaseBatch();
        }
      };
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /**
   * Text lines of a file, parsed as they are read, each dead letter with its line number; restores
   * by offset like its text format (re-reading the lines it skips, so the numbering stays exact).
   */
  private static final class ParsedLines extends SimpleStreamFormat<ParsedLine> {
    private static final long serialVersionUID = 1L;
    private final TextLineInputFormat text = new TextLineInputFormat();
    private final Map<String, GroupConfig> groups;

    ParsedLines(Map<String, GroupConfig> groups) {
      this.groups = groups;
    }

    @Override
    public StreamFormat.Reader<ParsedLine> createReader(
        Configuration config, FSDataInputStream stream) throws IOException {
      StreamFormat.Reader<String> lines = text.createReader(config, stream);
      EventCodec codec = new EventCodec(groups);
      return new StreamFormat.Reader<>() {
        private long lineNumber;

        @Override
        public ParsedLine read() throws IOException {
          String line = lines.read();
          if (line == null) {
            return null;
          }
          lineNumber++;
          ParsedLine parsed = ParsedLine.parse(codec, line);
          if (parsed.deadLetter != null) {
            parsed.deadLetter.position = lineNumber;
          }
          return parsed;
        }

        @Override
        public void close() throws IOException {
          lines.close();
        }
      };
    }

    @Override
    public TypeInformation<ParsedLine> getProducedType() {
      return TypeInformation.of(ParsedLine.class);
    }
  }

  /** Kafka record values as input lines, parsed in the reader's task thread. */
  private static final class KafkaLines implements KafkaRecordDeserializationSchema<ParsedLine> {
    private static final long serialVersionUID = 1L;
    private final Map<String, GroupConfig> groups;
    private transient EventCodec codec;

    KafkaLines(Map<String, GroupConfig> groups) {
      this.groups = groups;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      codec = new EventCodec(groups);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedLine> out) {
      String source = record.topic() + "/" + record.partition();
      if (record.value() == null) {
        ParsedLine empty = new ParsedLine();
        empty.deadLetter = new DeadLetter(null, "record without a value");
        empty.deadLetter.at(source, record.offset());
        out.collect(empty);
        return;
      }
      // invalid UTF-8 decodes to U+FFFD and then fails to parse: a dead letter, not a failure
      ParsedLine parsed =
          ParsedLine.parse(codec, new String(record.value(), StandardCharsets.UTF_8));
      if (parsed.deadLetter != null) {
        parsed.deadLetter.at(source, record.offset());
      }
      out.collect(parsed);
    }

    @Override
    public TypeInformation<ParsedLine> getProducedType() {
      return TypeInformation.of(ParsedLine.class);
    }
  }

  /** Elements as Kafka records: their JSON line, keyed by their group id. */
  private static final class KeyedByGroup<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 2L;
    private final String topic;
    private final SerializableFunction<T, String> groupOf;
    private final SerializableFunction<T, String> lineOf;

    KeyedByGroup(
        String topic,
        SerializableFunction<T, String> groupOf,
        SerializableFunction<T, String> lineOf) {
      this.topic = topic;
      this.groupOf = groupOf;
      this.lineOf = lineOf;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        T element, KafkaSinkContext context, Long timestamp) {
      String group = groupOf.apply(element);
      byte[] key = group == null ? null : group.getBytes(StandardCharsets.UTF_8);
      byte[] line = lineOf.apply(element).getBytes(StandardCharsets.UTF_8);
      // no record timestamp (the producer stamps the time of writing): event time is in the
      // line, and a step's event time (often near 1970) would make Kafka's time-based retention
      // delete the record at once
      return new ProducerRecord<>(topic, null, null, key, line);
    }
  }
}
