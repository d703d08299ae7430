package io.spikestream.job.event;

import java.util.Objects;

/** An input event that came after its step had already run, with the reason. */
public class LateEvent {

  /** The event, as parsed. */
  public InputEvent event;

  /** Why it was not applied, for example {@code step 3 already ran (last step run: 5)}. */
  public String reason;

  /** For Flink's POJO serializer. */
  public LateEvent() {}

  /**
   * @param event the late event
   * @param reason why it was not applied
   */
  public LateEvent(InputEvent event, String reason) {
    this.event = event;
    this.reason = reason;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LateEvent that
        && Objects.equals(event, that.event)
        && Objects.equals(reason, that.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, reason);
  }

  @Override
  public String toString() {
    return EventCodec.format(this);
  }
}
