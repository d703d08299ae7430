package io.spikestream.job.event;

import java.util.Objects;

/**
 * An input that could not be routed to a group's step, kept with the reason and where it came from:
 * a text line whole, or for binary input the byte offset of the damage.
 */
public class DeadLetter {

  /** The raw input line, unchanged; null for binary input. */
  public String line;

  /** Why it was rejected, for example {@code unknown group 'x'}. */
  public String reason;

  /** Where it was read: the input file's path, or {@code topic/partition}; null if not known. */
  public String source;

  /**
   * Its place in {@link #source}: the 1-based line number in a file of lines, the byte offset in a
   * binary file, or the Kafka record's offset; -1 if not known.
   */
  public long position = -1;

  /** For Flink's POJO serializer. */
  public DeadLetter() {}

  /**
   * @param line the raw input line
   * @param reason why it was rejected
   */
  public DeadLetter(String line, String reason) {
    this.line = line;
    this.reason = reason;
  }

  /**
   * Sets where the dead letter was read.
   *
   * @param source the input file's path, or {@code topic/partition}
   * @param position the line number (from 1), byte offset or record offset in it
   * @return this dead letter
   */
  public DeadLetter at(String source, long position) {
    this.source = source;
    this.position = position;
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeadLetter that
        && Objects.equals(line, that.line)
        && Objects.equals(reason, that.reason)
        && Objects.equals(source, that.source)
        && position == that.position;
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, reason, source, position);
  }

  @Override
  public String toString() {
    return EventCodec.format(this);
  }
}
