package io.spikestream.job.operator;

import io.spikestream.job.event.ParsedLine;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks for one input split (a file, a Kafka partition), emitted as
 * soon as an event moves them rather than only on the periodic tick.
 *
 * <p>Why not Flink's periodic generator: a split's watermark that was not emitted yet when the
 * split ends is dropped with it, so a file read between two ticks would never move event time; and
 * a step's spike record would wait up to a tick more. Timestamps are whole milliseconds, so the
 * watermark moves at most once per millisecond of event time, not per event.
 */
public class StepWatermarks implements WatermarkGenerator<ParsedLine> {

  private final long outOfOrdernessMs;
  private long maxTimestamp = Long.MIN_VALUE;
  private long emitted = Long.MIN_VALUE;

  /**
   * @param outOfOrdernessMs how far behind the newest event time an event may arrive, in ms
   */
  public StepWatermarks(long outOfOrdernessMs) {
    this.outOfOrdernessMs = outOfOrdernessMs;
  }

  @Override
  public void onEvent(ParsedLine line, long timestamp, WatermarkOutput output) {
    if (line.event == null || timestamp <= maxTimestamp) {
      return; // dead letters have no event time
    }
    maxTimestamp = timestamp;
    // the same watermark as Flink's bounded out-of-orderness: no timestamp <= it follows
    long watermark = maxTimestamp - outOfOrdernessMs - 1;
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // everything was emitted on the events; the periodic tick only detects idleness
  }
}
