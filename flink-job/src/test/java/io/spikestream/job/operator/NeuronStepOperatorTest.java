package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.Fixtures;
import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.LateEvent;
import io.spikestream.job.event.SpikeRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
            new NeuronStepOperator(Fixtures.groups(), emitVoltage, 0),
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
    List<String> records =
        harness.extractOutputValues().stream().map(EventCodec::format).collect(Collectors.toList());
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
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":2,\"t\":2.0,\"spikes\":[1]}");
    harness.endInput();
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":7,\"t\":7.0,\"spikes\":[4]}");
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
  void eventsAlternatingBetweenPendingStepsAddToTheirOwnStep() throws Exception {
    // neither the step of the previous event nor after every pending one: found among them
    send("{\"group\":\"small\",\"t\":5.5,\"index\":[0],\"current\":[-1]}");
    send("{\"group\":\"small\",\"t\":3.5,\"index\":[1],\"current\":[2]}");
    send("{\"group\":\"small\",\"t\":5.2,\"index\":[0],\"current\":[2]}");
    send("{\"group\":\"small\",\"t\":3.1,\"index\":[1],\"current\":[-3]}");
    send("{\"group\":\"small\",\"t\":7.5,\"index\":[2],\"current\":[1]}");
    send("{\"group\":\"small\",\"t\":5.9,\"index\":[3],\"current\":[1]}");
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"small\",\"step\":3,\"t\":3.0,\"spikes\":[]}",
            "{\"group\":\"small\",\"step\":5,\"t\":5.0,\"spikes\":[0,3]}",
            "{\"group\":\"small\",\"step\":7,\"t\":7.0,\"spikes\":[2]}");
    assertThat(pendingSteps()).isZero();
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
   * What goes into a snapshot is a copy: events after the barrier change neither it nor, on a heap
   * backend, the state objects an asynchronous snapshot is still writing.
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
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[4]}");
    harness.close();

    harness = open(false, snapshot, backend);
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactly("{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[2]}");
  }

  /**
   * Closes the harness after a barrier that stores one pending step of group "small", and puts in
   * its place an operator of other groups restoring that snapshot (not opened yet).
   */
  private void restartWithGroups(Map<String, GroupConfig> groups) throws Exception {
    send("{\"group\":\"small\",\"t\":1.0,\"currents\":[0,0,1,0,0,0]}");
    harness.prepareSnapshotPreBarrier(1L);
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new NeuronStepOperator(groups, false, 0), (InputEvent e) -> e.group, Types.STRING);
    harness.initializeState(snapshot);
  }

  /** A group added to the groups file before a resume runs beside the restored ones. */
  @Test
  void aRestoreTakesGroupsAddedToTheGroupsFile() throws Exception {
    GroupConfig added =
        new GroupConfig("added", "exact", new long[] {3}, 1, 1.0, -65.0, -50.0, 0.0);
    Map<String, GroupConfig> more = new LinkedHashMap<>();
    more.put(added.id(), added); // first: the other groups' positions in the file change
    more.putAll(Fixtures.groups());
    restartWithGroups(more);
    harness.open();
    InputEvent event =
        new EventCodec(more).parse("{\"group\":\"added\",\"t\":1.5,\"index\":[0],\"current\":[1]}");
    harness.processElement(new StreamRecord<>(event, event.timestampMs()));
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactlyInAnyOrder(
            "{\"group\":\"small\",\"step\":1,\"t\":1.0,\"spikes\":[2]}",
            "{\"group\":\"added\",\"step\":1,\"t\":1.0,\"spikes\":[0]}");
  }

  /** Pending steps of a group the groups file lost would be lost too: the restore refuses. */
  @Test
  void aRestoreRefusesPendingStepsOfAGroupNoLongerInTheGroupsFile() throws Exception {
    Map<String, GroupConfig> without = new LinkedHashMap<>(Fixtures.groups());
    without.remove("small");
    restartWithGroups(without);
    assertThatThrownBy(harness::open)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pending steps of group 'small'")
        .hasMessageContaining("put the group back");
  }

  /** A pending step of a group whose shape changed would run on the wrong neurons: refused. */
  @Test
  void aRestoreRefusesPendingStepsOfAGroupWhoseShapeChanged() throws Exception {
    Map<String, GroupConfig> reshaped = new LinkedHashMap<>(Fixtures.groups());
    reshaped.put(
        "small", new GroupConfig("small", "exact", new long[] {2, 2}, 1, 1.0, -65.0, -50.0, 0.0));
    restartWithGroups(reshaped);
    assertThatThrownBy(harness::open)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pending step 1 of group 'small' does not fit the group's 4 neurons")
        .hasMessageContaining("dense currents of 6 neurons");
  }

  @Test
  void voltagesAreEmittedWhenAsked() throws Exception {
    harness.close();
    harness = open(true, null);
    send("{\"group\":\"small\",\"t\":0.0,\"currents\":[1,0,0,0,0,2]}");
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(spikes())
        .containsExactly(
            "{\"group\":\"small\",\"step\":0,\"t\":0.0,\"spikes\":[0,5],"
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

  /**
   * Restored from any barrier's snapshot and fed what came after it, the operator gives the output
   * of an uninterrupted run: steps written at earlier barriers and since changed, run or still
   * waiting are in each snapshot exactly as they were at its barrier.
   */
  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void restoredFromAnyBarrierTheOutputIsThatOfAnUninterruptedRun(String backend) throws Exception {
    harness.close();
    Random random = new Random(Long.getLong("spikestream.seed", 20261124L));
    for (int trial = 0; trial < 8; trial++) {
      List<String> script = randomScript(random);
      harness = open(false, null, backend);
      List<String> uninterrupted = play(script, 0, script.size(), -1).output;
      harness.close();

      List<Integer> barriers = new ArrayList<>();
      for (int i = 0; i < script.size(); i++) {
        if (script.get(i).equals("barrier")) {
          barriers.add(i);
        }
      }
      int at = barriers.get(random.nextInt(barriers.size()));
      harness = open(false, null, backend);
      Played before = play(script, 0, at + 1, at);
      harness.close();
      harness = open(false, before.snapshot, backend);
      List<String> output = new ArrayList<>(before.output);
      output.addAll(play(script, at + 1, script.size(), -1).output);
      harness.close();
      int trialNumber = trial;
      assertThat(output)
          .as("trial %d, restored from the barrier at action %d", trialNumber, at)
          .containsExactlyInAnyOrderElementsOf(uninterrupted);
    }
    harness = open(false, null);
  }

  private record Played(List<String> output, OperatorSubtaskState snapshot) {}

  /**
   * Plays actions {@code [from, to)} of a script (JSON events, "watermark N", "barrier"), a barrier
   * as a task does it (prepareSnapshotPreBarrier, then a snapshot); ends with the end of input when
   * {@code to} is the script's end.
   */
  private Played play(List<String> script, int from, int to, int snapshotAt) throws Exception {
    OperatorSubtaskState snapshot = null;
    for (int i = from; i < to; i++) {
      String action = script.get(i);
      if (action.equals("barrier")) {
        harness.prepareSnapshotPreBarrier(i);
        OperatorSubtaskState taken = harness.snapshot(i, i);
        if (i == snapshotAt) {
          snapshot = taken;
        }
      } else if (action.startsWith("watermark ")) {
        harness.processWatermark(Long.parseLong(action.substring("watermark ".length())));
      } else {
        send(action);
      }
    }
    if (to == script.size()) {
      harness.processWatermark(Long.MAX_VALUE);
    }
    List<String> output = new ArrayList<>(spikes());
    output.addAll(late());
    return new Played(output, snapshot);
  }

  /** Events of both groups around a moving clock (some late), watermarks and barriers. */
  private static List<String> randomScript(Random random) {
    List<String> script = new ArrayList<>();
    double clock = 10.0;
    long watermark = Long.MIN_VALUE;
    for (int i = 0; i < 200; i++) {
      int what = random.nextInt(20);
      if (what < 14) {
        boolean small = random.nextBoolean();
        int neurons = small ? 6 : 8;
        double t = Math.max(10.0, clock + random.nextInt(32) / 4.0 - 3.0);
        StringBuilder event =
            new StringBuilder("{\"group\":\"")
                .append(small ? "small" : "fast")
                .append("\",\"t\":")
                .append(t);
        switch (random.nextInt(5)) {
          case 0 -> event.append(",\"currents\":").append(numbers(random, neurons));
          case 1 -> event.append(",\"override\":[").append(random.nextInt(neurons)).append(']');
          default ->
              event
                  .append(",\"index\":[")
                  .append(random.nextInt(neurons))
                  .append("],\"current\":[")
                  .append(random.nextInt(5) - 2)
                  .append(']');
        }
        script.add(event.append('}').toString());
        clock += random.nextInt(3) / 2.0;
      } else if (what < 17) {
        watermark = Math.max(watermark, (long) clock - random.nextInt(4));
        script.add("watermark " + watermark);
      } else {
        script.add("barrier");
      }
    }
    script.add("barrier");
    return script;
  }

  private static String numbers(Random random, int count) {
    StringBuilder numbers = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      numbers.append(i > 0 ? "," : "").append(random.nextInt(5) - 2);
    }
    return numbers.append(']').toString();
  }
}
