package io.spikestream.job.event;

import java.util.Objects;

/**
 * One raw input line after parsing: either an event of a known group or a dead letter with the
 * reason. Sources parse their lines into these, so event time (and its watermark) can be taken per
 * input split (a file, a Kafka partition) before the stream is split by outcome. A Flink POJO.
 */
public class ParsedLine {

  /** The event, or null if the line is a dead letter. */
  public InputEvent event;

  /** The dead letter, or null if the line is an event. */
  public DeadLetter deadLetter;

  /**
   * The record's event-time timestamp in ms when it is not its event's own ({@link Long#MIN_VALUE}
   * then): a source that batches events sets it so that the watermark moves as it would have moved
   * over the single events (see {@code io.camera.AddressEventBatcher}).
   */
  public long timestamp = Long.MIN_VALUE;

  /** For Flink's POJO serializer. */
  public ParsedLine() {}

  /**
   * Parses one line; never throws, whatever the line holds.
   *
   * @param codec the parser of the job's groups (not thread-safe: one per source reader)
   * @param line the raw line
   * @return the event, or the dead letter with the reason
   */
  public static ParsedLine parse(EventCodec codec, String line) {
    ParsedLine parsed = new ParsedLine();
    try {
      parsed.event = codec.parse(line);
    } catch (BadEventException e) {
      parsed.deadLetter = new DeadLetter(line, e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // a parser fault must cost one line, never the job
      parsed.deadLetter = new DeadLetter(line, "unreadable event: " + e);
    }
    return parsed;
  }

  /**
   * The event-time timestamp of the line, in ms: the event's (floor of {@code t}), or {@link
   * Long#MIN_VALUE} for a dead letter, which has no event time and must not move the watermark.
   */
  public long timestampMs() {
    if (event == null) {
      return Long.MIN_VALUE;
    }
    return timestamp != Long.MIN_VALUE ? timestamp : event.timestampMs();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ParsedLine that
        && Objects.equals(event, that.event)
        && Objects.equals(deadLetter, that.deadLetter)
        && timestamp == that.timestamp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, deadLetter);
  }

  @Override
  public String toString() {
    return event != null ? event.toString() : String.valueOf(deadLetter);
  }
}
