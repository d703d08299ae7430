package io.spikestream.job.event;

import java.util.Objects;

/** An input line that could not be routed to a group's step, kept whole with the reason. */
public class DeadLetter {

  /** The raw input line, unchanged. */
  public String line;

  /** Why it was rejected, for example {@code unknown group 'x'}. */
  public String reason;

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

  @Override
  public boolean equals(Object other) {
    return other instanceof DeadLetter that
        && Objects.equals(line, that.line)
        && Objects.equals(reason, that.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, reason);
  }

  @Override
  public String toString() {
    return EventCodec.format(this);
  }
}
