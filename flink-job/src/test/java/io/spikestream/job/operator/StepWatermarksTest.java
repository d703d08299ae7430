package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.ParsedLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class StepWatermarksTest {

  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  private static ParsedLine event(long timestampMs) {
    ParsedLine line = new ParsedLine();
    line.event = new InputEvent();
    line.event.t = timestampMs + 0.5;
    return line;
  }

  @Test
  void eventsMoveTheWatermarkAtOnceAndNeverBack() {
    StepWatermarks watermarks = new StepWatermarks(3);
    watermarks.onEvent(event(10), 10, output);
    watermarks.onEvent(event(10), 10, output); // no new watermark for the same millisecond
    watermarks.onEvent(event(8), 8, output); // late within the bound: no step back
    watermarks.onEvent(event(12), 12, output);
    watermarks.onPeriodicEmit(output);
    assertThat(emitted).containsExactly(6L, 8L);
  }

  @Test
  void deadLettersHaveNoEventTime() {
    StepWatermarks watermarks = new StepWatermarks(0);
    ParsedLine letter = new ParsedLine();
    letter.deadLetter = new DeadLetter("x", "malformed JSON: x");
    watermarks.onEvent(letter, letter.timestampMs(), output);
    assertThat(emitted).isEmpty();
  }
}
