package io.spikestream.job.io.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.event.ParsedLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressEventBatcherTest {

  static GroupConfig group(String fields) {
    return GroupsFile.parse(
            "groups:\n  - {id: cam, model: exact, step_time: 1.0, rest_v: -65, thresh_v: -50, "
                + fields
                + "}\n")
        .get("cam");
  }

  final List<ParsedLine> out = new ArrayList<>();

  @Test
  void mapsPolarityRowAndColumnToTheFlatIndexWithPooling() {
    AddressEventBatcher batcher =
        new AddressEventBatcher(
            group("shape: [2, 3, 4], pool: 10, event_current: 0.5"), 0, "f", out::add);
    batcher.event(1_000, 0, 0, 0, 0); // (0, 0, 0) -> 0
    batcher.event(1_200, 39, 29, 1, 4); // (1, 2, 3) -> 12 + 8 + 3
    batcher.event(1_900, 15, 5, 0, 8); // (0, 0, 1) -> 1
    batcher.flush();
    assertThat(out).hasSize(1);
    ParsedLine batch = out.get(0);
    assertThat(batch.event.step).isEqualTo(1);
    assertThat(batch.event.t).isEqualTo(1.0);
    assertThat(batch.event.index).containsExactly(0, 23, 1);
    assertThat(batch.event.current).containsExactly(0.5, 0.5, 0.5);
    assertThat(batch.event.count).isEqualTo(3);
    assertThat(batch.timestampMs()).isEqualTo(1);
  }

  @Test
  void aGroupWithoutPolarityTakesBothPolaritiesAtOneNeuron() {
    AddressEventBatcher batcher = new AddressEventBatcher(group("shape: [3, 4]"), 0, "f", out::add);
    batcher.event(500, 3, 2, 1, 0);
    batcher.event(600, 3, 2, 0, 4);
    batcher.flush();
    assertThat(out.get(0).event.index).containsExactly(11, 11);
  }

  @Test
  void eventsOutsideTheShapeOrTimeAreDeadLettersWithTheirPosition() {
    AddressEventBatcher batcher =
        new AddressEventBatcher(group("shape: [2, 3, 4], t0: 5.0"), 0, "cam.raw", out::add);
    batcher.event(4_999, 0, 0, 0, 10);
    batcher.event(6_000, 4, 0, 0, 20);
    batcher.event(6_000, 0, 3, 1, 30);
    batcher.event(6_000, 0, 0, 2, 40);
    batcher.damaged(50, "truncated word [2 bytes]");
    batcher.flush();
    assertThat(out).allMatch(line -> line.event == null);
    assertThat(out)
        .extracting(line -> line.deadLetter.toString())
        .containsExactly(
            "{\"reason\":\"event time 4999 µs (4.999 ms) is before the group's t0 of 5.0 ms\","
                + "\"source\":\"cam.raw\",\"position\":10}",
            "{\"reason\":\"event at x 4, y 0, polarity 0 is outside group 'cam' of shape (2, 3,"
                + " 4)\",\"source\":\"cam.raw\",\"position\":20}",
            "{\"reason\":\"event at x 0, y 3, polarity 1 is outside group 'cam' of shape (2, 3,"
                + " 4)\",\"source\":\"cam.raw\",\"position\":30}",
            "{\"reason\":\"event at x 0, y 0, polarity 2 is outside group 'cam' of shape (2, 3,"
                + " 4)\",\"source\":\"cam.raw\",\"position\":40}",
            "{\"reason\":\"truncated word [2 bytes]\",\"source\":\"cam.raw\",\"position\":50}");
  }

  @Test
  void aStepIsSentOnceTheWatermarkOfItsEventsReachesItsTimerBeforeThatWatermark() {
    AddressEventBatcher batcher =
        new AddressEventBatcher(group("shape: [2, 3, 4]"), 1, "f", out::add);
    batcher.event(100, 0, 0, 0, 0); // step 0, watermark -2
    batcher.event(1_100, 1, 0, 0, 0); // step 1, watermark -1
    batcher.event(2_100, 2, 0, 0, 0); // step 2, watermark 0: step 0's timer
    assertThat(out).hasSize(1);
    assertThat(out.get(0).event.step).isZero();
    assertThat(out.get(0).timestampMs()).isEqualTo(2); // raises the watermark to 0
    batcher.event(300, 3, 0, 0, 0); // a straggler of step 0: a batch of its own
    batcher.event(1_500, 0, 1, 0, 0); // step 1, still open
    batcher.event(4_000, 0, 2, 0, 0); // watermark 2: steps 0 (straggler), 1 and 2
    assertThat(out).hasSize(4);
    assertThat(out.subList(1, 4)).extracting(line -> line.event.step).containsExactly(0L, 1L, 2L);
    assertThat(out.get(2).event.index).containsExactly(1, 4);
    assertThat(out.subList(1, 4))
        .extracting(ParsedLine::timestampMs)
        .as("only the last moves the watermark, to the newest time")
        .containsExactly(0L, 1L, 4L);
    batcher.flush();
    assertThat(out).hasSize(5);
    assertThat(out.get(4).event.step).isEqualTo(4);
  }

  @Test
  void groupsThatCannotTakeCameraEventsAreRefused() {
    assertThatThrownBy(() -> new AddressEventBatcher(group("shape: [12]"), 0, "f", out::add))
        .hasMessage(
            "group 'cam' of shape (12,) takes no camera events: its shape must be [2, H, W]"
                + " (polarity, y, x) or [H, W]");
    assertThatThrownBy(() -> new AddressEventBatcher(group("shape: [3, 3, 4]"), 0, "f", out::add))
        .hasMessageContaining("must be [2, H, W]");
    assertThatThrownBy(
            () -> new AddressEventBatcher(group("shape: [3, 4], batch_size: 2"), 0, "f", out::add))
        .hasMessage("group 'cam' takes camera events, so its batch_size must be 1, not 2");
  }
}
