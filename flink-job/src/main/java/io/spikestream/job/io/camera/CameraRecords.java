package io.spikestream.job.io.camera;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.ParsedLine;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka record values of event-camera data, each decoded on its own (see {@link
 * CameraFormat#newDecoder} for what one record must hold) and batched per step for one group.
 *
 * <p>A record's batches are all sent before the next record is read: the Kafka source checkpoints
 * its position per record, so nothing of a record may wait in this deserializer. The newest event
 * time per partition is kept across records (so that a step's events split over two records do not
 * count as late), but not in checkpoints: after a restore, the watermark of a partition starts
 * again from its first record, as it does for every Flink source.
 */
public final class CameraRecords implements KafkaRecordDeserializationSchema<ParsedLine> {

  private static final long serialVersionUID = 1L;

  private final CameraFormat format;
  private final GroupConfig group;
  private final long outOfOrdernessMs;
  private transient Map<Integer, PartitionInput> partitions;

  /**
   * @param format the format of the record values
   * @param group the group every event goes to
   * @param outOfOrdernessMs the input's bounded out-of-orderness, in ms
   */
  public CameraRecords(CameraFormat format, GroupConfig group, long outOfOrdernessMs) {
    this.format = format;
    this.group = group;
    this.outOfOrdernessMs = outOfOrdernessMs;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedLine> out) {
    if (partitions == null) {
      partitions = new HashMap<>();
    }
    PartitionInput input =
        partitions.computeIfAbsent(
            record.partition(), partition -> new PartitionInput(record.topic() + "/" + partition));
    input.out = out;
    input.offset = record.offset();
    if (record.value() == null) {
      ParsedLine empty = new ParsedLine();
      empty.deadLetter =
          new DeadLetter(null, "record without a value").at(input.source, record.offset());
      out.collect(empty);
      return;
    }
    AddressEventDecoder decoder = format.newDecoder(true);
    decoder.decode(ByteBuffer.wrap(record.value()), input.batcher);
    decoder.finish(input.batcher);
    input.batcher.flush();
  }

  @Override
  public TypeInformation<ParsedLine> getProducedType() {
    return TypeInformation.of(ParsedLine.class);
  }

  /** One partition's batcher, handing its output to the current record's collector. */
  private final class PartitionInput {
    final String source;
    final AddressEventBatcher batcher;
    Collector<ParsedLine> out;
    long offset;

    PartitionInput(String source) {
      this.source = source;
      this.batcher = new AddressEventBatcher(group, outOfOrdernessMs, source, this::emit);
    }

    /**
     * Passes a batch or dead letter on; a dead letter names the record's offset as its position,
     * and the byte offset within the record in its reason.
     */
    private void emit(ParsedLine line) {
      if (line.deadLetter != null) {
        DeadLetter letter = line.deadLetter;
        letter.reason = letter.reason + " (at byte " + letter.position + " of the record)";
        letter.position = offset;
      }
      out.collect(line);
    }
  }
}
