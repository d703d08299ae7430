package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.Fixtures;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.LateEvent;
import io.spikestream.job.event.SpikeRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keyed neuron operator in Flink's keyed operator test harness. */
class NeuronStepOperatorTest {

  private final EventCodec codec = new EventCodec(Fixtures.groups());
  private KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> harness;

  private static KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> open(
      boolean emitVoltage, OperatorSubtaskState restoredFrom) throws Exception {
    return open(emitVoltage, restoredFrom, "hashmap");
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> open(
      boolean emitVoltage, OperatorSubtaskState restoredFrom, String backend) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new NeuronStepOperator(Fixtures.groups(), emitVoltage),
            (InputEvent e) -> e.group,
            Types.STRING);
    if (backend.equals("rocksdb")) {
      harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    if (restoredFrom != null) {
      harness.initializeState(restoredFrom);
    }
    harness.open();
    return harness;
  }

  @BeforeEach
  void setUp() throws Exception {
    harness = open(false, null);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private int pendingSteps() {
    return ((NeuronStepOperator) harness.getOneInputOperator()).pendingSteps();
  }

  private void send(String json) throws Exception {
    InputEvent event = codec.parse(json);
    harness.processElement(new StreamRecord<>(event, event.timestampMs()));
  }

  private List<String> spikes() {
    List<String> records = harness.extractOutputValues().stream()
        .map(EventCodec::format)
        .collect(Collectors.toList());
    harness.getOutput().clear();
    return records;
  }

  private List<String> late() {
    var records = harness.getSideOutput(NeuronStepOperator.LATE);
    return records == null
        ? List.of()
        : records.stream().map(r -> EventCodec.format((LateEvent) r.getValue())).toList();
  }

  @Test
  void stepRunsOnlyOnceTheWatermarkPassesItsEnd() throws Exception {
    send("{\"group\":\"small\",\"t\":2.5,\"currents\":[1,-1,0,2,-0.0,1e-9]}");
    assertThat(pendingSteps()).isEqualTo(1);
    harness.processWatermark(1); // events at t >= 2 may still come: step 2 [2, 3) must wait
    assertThat(spikes()).isEmpty();
    harness.processWatermark(2); // no timestamp <= 2 follows, so no t < 3
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":2,\"t\":2.0,\"spikes\":[0,3,5]}");
    assertThat(pendingSteps()).isZero();
  }

  /** A drained or finished input runs every pending step, even without a final watermark. */
  @Test
  void theEndOfInputRunsEveryPendingStep() throws Exception {
    send("{\"group\":\"small\",\"t\":2.5,\"override\":[1]}");
    send("{\"group\":\"small\",\"t\":7.0,\"override\":[4]}");
    harness.processWatermark(2);
    assertThat(spikes()).containsExactly(
        "{\"group\":\"small\",\"step\":2,\"t\":2.0,\"spikes\":[1]}");
    harness.endInput();
    assertThat(spikes()).containsExactly(
        "{\"group\":\"small\",\"step\":7,\"t\":7.0,\"spikes\":[4]}");
    assertThat(pendingSteps()).isZero();
  }

  @Test
  void currentsOfAStepAreSummed() throws Exception {
    send("{\"group\":\"small\",\"t\":0.0,\"currents\":[1,1,-1,0,0,0]}");
    send("{\"group\":\"small\",\"t\":0.5,\"currents\":[-2,0.5,0.5,0,0,0]}");
    send("{\"group\":\"small\",\"t\":0.9,\"index\":[2,3,3],\"current\":[0.25,1,-0.5]}");
    send("{\"group\":\"small\",\"t\":0.99,\"index\":[0],\"current\":[1.5]}");
    harness.processWatermark(0);
    // 1-2+1.5, 1+0.5, -1+0.5+0.25, 1-0.5, 0, 0
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":0,\"t\":0.0,\"spikes\":[0,1,3]}");
  }

  @Test
  void anOverrideDecidesTheStepWhateverTheCurrents() throws Exception {
    send("{\"group\":\"small\",\"t\":1.0,\"currents\":[1,1,1,1,1,1]}");
    send("{\"group\":\"small\",\"t\":1.2,\"override\":[4]}");
    send("{\"group\":\"small\",\"t\":1.3,\"override\":[1,4]}");
    send("{\"group\":\"small\",\"t\":2.0,\"currents\":[1,1,1,1,1,1],\"override\":[]}");
    harness.processWatermark(10);
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[1,4]}",
            "{\"group\":\"small\",\"step\":2,\"t\":2.0,\"spikes\":[]}");
  }

  @Test
  void stepsRunInOrderAndIdleStepsCostNothing() throws Exception {
    send("{\"group\":\"small\",\"t\":1000000.5,\"override\":[5]}");
    send("{\"group\":\"small\",\"t\":3.5,\"override\":[1]}");
    send("{\"group\":\"small\",\"t\":0.5,\"override\":[0]}");
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"small\",\"step\":0,\"t\":0.0,\"spikes\":[0]}",
            "{\"group\":\"small\",\"step\":3,\"t\":3.0,\"spikes\":[1]}",
            "{\"group\":\"small\",\"step\":1000000,\"t\":1000000.0,\"spikes\":[5]}");
    assertThat(pendingSteps()).isZero();
  }

  @Test
  void stepsShorterThanAMillisecondShareATimerAndRunInOrder() throws Exception {
    // FAST: 0.25 ms steps from t0 = 10, batch 2 x 4 neurons
    send("{\"group\":\"fast\",\"t\":10.8,\"override\":[3]}");
    send("{\"group\":\"fast\",\"t\":10.1,\"override\":[0]}");
    send("{\"group\":\"fast\",\"t\":10.3,\"index\":[7],\"current\":[1]}");
    send("{\"group\":\"fast\",\"t\":11.0,\"override\":[2]}");
    harness.processWatermark(9); // steps 0-3 end at or before 11: no timestamp <= 10 follows? no
    assertThat(spikes()).isEmpty();
    harness.processWatermark(10); // events with t < 11 are complete: steps 0-3 run
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"fast\",\"step\":0,\"t\":10.0,\"spikes\":[0]}",
            "{\"group\":\"fast\",\"step\":1,\"t\":10.25,\"spikes\":[7]}",
            "{\"group\":\"fast\",\"step\":3,\"t\":10.75,\"spikes\":[3]}");
    harness.processWatermark(11);
    assertThat(spikes())
        .containsExactly("{\"group\":\"fast\",\"step\":4,\"t\":11.0,\"spikes\":[2]}");
  }

  @Test
  void eventsOfAStepThatRanAreLate() throws Exception {
    send("{\"group\":\"small\",\"t\":5.0,\"override\":[0]}");
    harness.processWatermark(5);
    send("{\"group\":\"small\",\"t\":5.5,\"override\":[1]}");
    send("{\"group\":\"small\",\"t\":2.0,\"override\":[1]}");
    send("{\"group\":\"small\",\"t\":6.0,\"override\":[2]}");
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"small\",\"step\":5,\"t\":5.0,\"spikes\":[0]}",
            "{\"group\":\"small\",\"step\":6,\"t\":6.0,\"spikes\":[2]}");
    assertThat(late())
        .containsExactly(
            "{\"group\":\"small\",\"step\":5,\"reason\":\"step 5 already ran (last step run: 5)\","
                + "\"event\":{\"group\":\"small\",\"t\":5.5,\"override\":[1]}}",
            "{\"group\":\"small\",\"step\":2,\"reason\":\"step 2 already ran (last step run: 5)\","
                + "\"event\":{\"group\":\"small\",\"t\":2.0,\"override\":[1]}}");
  }

  @Test
  void anEventBehindTheWatermarkWhoseStepHasNotRunIsStillApplied() throws Exception {
    send("{\"group\":\"small\",\"t\":1.0,\"override\":[0]}");
    harness.processWatermark(100);
    send("{\"group\":\"small\",\"t\":50.0,\"override\":[3]}"); // behind the watermark, step 50
    harness.processWatermark(101);
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[0]}",
            "{\"group\":\"small\",\"step\":50,\"t\":50.0,\"spikes\":[3]}");
    assertThat(late()).isEmpty();
  }

  @Test
  void groupsAreIndependentKeys() throws Exception {
    send("{\"group\":\"small\",\"t\":0.0,\"override\":[0]}");
    send("{\"group\":\"fast\",\"t\":10.0,\"override\":[7]}");
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactlyInAnyOrder(
            "{\"group\":\"small\",\"step\":0,\"t\":0.0,\"spikes\":[0]}",
            "{\"group\":\"fast\",\"step\":0,\"t\":10.0,\"spikes\":[7]}");
    assertThat(harness.numKeyedStateEntries()).as("nothing written between barriers").isZero();
    harness.prepareSnapshotPreBarrier(1L);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(4); // spikes and clock of each group
  }

  /**
   * What goes into a snapshot is a copy: events after the barrier change neither it nor, on a
   * heap backend, the state objects an asynchronous snapshot is still writing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void eventsAfterABarrierDoNotChangeTheSnapshot(String backend) throws Exception {
    harness.close();
    harness = open(false, null, backend);
    send("{\"group\":\"small\",\"t\":1.0,\"index\":[2],\"current\":[1]}");
    harness.prepareSnapshotPreBarrier(1L);
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    send("{\"group\":\"small\",\"t\":1.2,\"index\":[2,4],\"current\":[-2,1]}");
    harness.prepareSnapshotPreBarrier(2L);
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes()).containsExactly(
        "{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[4]}");
    harness.close();

    harness = open(false, snapshot, backend);
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes()).containsExactly(
        "{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[2]}");
  }

  @Test
  void voltagesAreEmittedWhenAsked() throws Exception {
    harness.close();
    harness = open(true, null);
    send("{\"group\":\"small\",\"t\":0.0,\"currents\":[1,0,0,0,0,2]}");
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":0,\"t\":0.0,\"spikes\":[0,5],"
            + "\"voltage\":[-50.0,-65.0,-65.0,-65.0,-65.0,-50.0]}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void pendingStepsClockAndSpikesSurviveASnapshotAndRestore(String backend) throws Exception {
    harness.close();
    harness = open(false, null, backend);
    send("{\"group\":\"small\",\"t\":0.0,\"override\":[0]}");
    harness.processWatermark(0);
    send("{\"group\":\"small\",\"t\":1.0,\"index\":[2],\"current\":[1]}");
    send("{\"group\":\"fast\",\"t\":10.0,\"override\":[6]}");
    assertThat(spikes()).hasSize(1);
    harness.prepareSnapshotPreBarrier(1L); // as a task does before each barrier
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness = open(false, snapshot, backend);
    assertThat(pendingSteps()).isEqualTo(2);
    send("{\"group\":\"small\",\"t\":1.5,\"index\":[3],\"current\":[1]}");
    send("{\"group\":\"small\",\"t\":0.5,\"override\":[1]}"); // step 0 ran before the snapshot
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactlyInAnyOrder(
            "{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[2,3]}",
            "{\"group\":\"fast\",\"step\":0,\"t\":10.0,\"spikes\":[6]}");
    assertThat(late()).hasSize(1);
  }
}
