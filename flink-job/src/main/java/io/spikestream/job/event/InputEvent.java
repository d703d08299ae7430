package io.spikestream.job.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * One validated input event: currents and/or an override for one group at one event time. Between
 * the job's tasks it travels with {@link InputEventSerializer}; it is also a Flink POJO (public
 * fields, no-arg constructor), so Flink serializes it without Kryo where it is a field (late
 * events).
 *
 * <p>Only fields the event carried are non-null: {@code currents} (dense), {@code index} with
 * {@code current} (sparse), {@code override}.
 */
public class InputEvent {

  /** The group id, the stream's key. */
  public String group;

  /** Event time in ms, as given; finite, >= the group's t0. */
  public double t;

  /** The simulation step this event falls in (see {@code GroupConfig.stepOf}). */
  public long step;

  /** Dense input currents in nA, one per neuron of the batched shape, row-major; or null. */
  public double[] currents;

  /** Sparse flat indices into the batched shape; or null. */
  public int[] index;

  /** Sparse input currents in nA, one per entry of {@code index}; or null. */
  public double[] current;

  /** Flat indices of neurons forced to spike in this step; or null for no override. */
  public int[] override;

  /**
   * How many input events this one stands for: 1 for a JSON line; for the events of an event-camera
   * input that fell in one step, batched by the source, how many there were (one {@code index}
   * entry each).
   */
  public int count = 1;

  /**
   * The group's index in the job's group list when the event came between tasks through {@link
   * InputEventSerializer}, else -1: lets the keyed operator find the group without hashing its id.
   * Not part of the event (transient: Flink's POJO serializer and {@link #equals} skip it).
   */
  public transient int groupIndex = -1;

  /** For Flink's POJO serializer. */
  public InputEvent() {}

  /**
   * The Flink event timestamp of this event: whole milliseconds, rounded down.
   *
   * @return {@code floor(t)}
   */
  public long timestampMs() {
    return (long) Math.floor(t);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InputEvent that
        && Objects.equals(group, that.group)
        && Double.compare(t, that.t) == 0
        && step == that.step
        && Arrays.equals(currents, that.currents)
        && Arrays.equals(index, that.index)
        && Arrays.equals(current, that.current)
        && Arrays.equals(override, that.override)
        && count == that.count;
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, t, step);
  }

  @Override
  public String toString() {
    return EventCodec.formatEvent(this);
  }
}
