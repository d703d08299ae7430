package io.spikestream.job.event;

import java.util.Arrays;
import java.util.Objects;

/** The outcome of one simulation step of one group that received at least one event. */
public class SpikeRecord {

  /** The group id. */
  public String group;

  /** The step number k. */
  public long step;

  /** Start of the step, {@code t0 + k * step_time}, in ms. */
  public double t;

  /** Ascending flat indices into the batched shape of the neurons that spiked. */
  public int[] spikes;

  /** Float32 voltages after the step in mV, batched shape, row-major; null unless asked for. */
  public float[] voltage;

  /** For Flink's POJO serializer. */
  public SpikeRecord() {}

  /**
   * @param group the group id
   * @param step the step number
   * @param t the step's start in ms
   * @param spikes ascending flat indices that spiked
   * @param voltage voltages after the step in mV, or null
   */
  public SpikeRecord(String group, long step, double t, int[] spikes, float[] voltage) {
    this.group = group;
    this.step = step;
    this.t = t;
    this.spikes = spikes;
    this.voltage = voltage;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SpikeRecord that
        && Objects.equals(group, that.group)
        && step == that.step
        && Double.compare(t, that.t) == 0
        && Arrays.equals(spikes, that.spikes)
        && Arrays.equals(voltage, that.voltage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, step);
  }

  @Override
  public String toString() {
    return EventCodec.format(this);
  }
}
