package io.spikestream.job.io.camera;

import java.util.ArrayList;
import java.util.List;

/** Test handler: records every event (with its position) and every damage report, in order. */
public final class RecordedEvents implements AddressEventHandler {

  /** One decoded event, without its position. */
  public record Event(long t, int x, int y, int p) {
    @Override
    public String toString() {
      return "(t=" + t + ", x=" + x + ", y=" + y + ", p=" + p + ")";
    }
  }

  /** One damage report. */
  public record Damage(long position, String reason) {}

  private final List<Event> events = new ArrayList<>();
  private final List<Long> positions = new ArrayList<>();
  private final List<Damage> damages = new ArrayList<>();

  /** Index into {@link #events} at the time of each damage report. */
  private final List<Integer> damageEventIndex = new ArrayList<>();

  @Override
  public void event(long tUs, int x, int y, int polarity, long position) {
    events.add(new Event(tUs, x, y, polarity));
    positions.add(position);
  }

  @Override
  public void damaged(long position, String reason) {
    damages.add(new Damage(position, reason));
    damageEventIndex.add(events.size());
  }

  /** The events, in the order reported. */
  public List<Event> events() {
    return events;
  }

  /** The position of each event, in the order reported. */
  public List<Long> positions() {
    return positions;
  }

  /** The damage reports, in order. */
  public List<Damage> damages() {
    return damages;
  }

  /** For each damage report, how many events had been reported before it. */
  public List<Integer> damageEventIndex() {
    return damageEventIndex;
  }
}
