package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.Fixtures;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.SpikeRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint of the ExactNeuron-only operator (spike buffers in the "spikes" state, before other
 * models existed) restores and goes on as that operator went on from it.
 *
 * <p>The files in {@code src/test/resources/state/} were written by the operator of commit 033036a
 * in Flink's test harness, hashmap and RocksDB: the groups of {@link Fixtures}, the events {@link
 * #BEFORE}, watermark 2, a barrier and its snapshot ({@code exact-v1-BACKEND.snapshot}); then that
 * operator restored from the snapshot, given {@link #AFTER} and the end of time, emitted {@code
 * exact-v1-BACKEND.after}.
 */
class LegacyStateTest {

  static final String[] AFTER = {
    "{\"group\":\"small\",\"t\":5.7,\"index\":[0],\"current\":[1.0]}",
    "{\"group\":\"fast\",\"t\":12.6,\"currents\":[1,1,1,1,-1,-1,-1,-1]}",
    "{\"group\":\"small\",\"t\":7.0,\"index\":[3],\"current\":[1.0]}",
  };

  /** The events before the snapshot (for the record: the state holds what they left). */
  static final String[] BEFORE = {
    "{\"group\":\"small\",\"t\":0.5,\"index\":[1,4],\"current\":[1.0,2.0]}",
    "{\"group\":\"small\",\"t\":1.2,\"currents\":[1,-1,1,-1,1,-1]}",
    "{\"group\":\"fast\",\"t\":10.1,\"override\":[0,7]}",
    "{\"group\":\"small\",\"t\":3.5,\"index\":[2],\"current\":[0.5]}",
    "{\"group\":\"fast\",\"t\":11.3,\"index\":[3,5],\"current\":[1.0,-1.0]}",
    "{\"group\":\"small\",\"t\":5.5,\"override\":[5]}",
  };

  static final Path STATE = Path.of("src/test/resources/state");

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void anExactNeuronCheckpointOfTheSpikeBufferFormatRestoresAndGoesOnAsBefore(String backend)
      throws Exception {
    OperatorSubtaskState old =
        OperatorSnapshotUtil.readStateHandle(
            STATE.resolve("exact-v1-" + backend + ".snapshot").toString());
    List<String> expected = Files.readAllLines(STATE.resolve("exact-v1-" + backend + ".after"));
    EventCodec codec = new EventCodec(Fixtures.groups());

    var harness = open(backend, old);
    for (String line : AFTER) {
      InputEvent event = codec.parse(line);
      harness.processElement(new StreamRecord<>(event, event.timestampMs()));
    }
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(records(harness)).isEqualTo(expected);
    harness.close();

    // and its state, once written in today's format, restores as well
    harness = open(backend, old);
    InputEvent first = codec.parse(AFTER[0]);
    harness.processElement(new StreamRecord<>(first, first.timestampMs()));
    harness.processWatermark(6);
    harness.prepareSnapshotPreBarrier(2L);
    OperatorSubtaskState rewritten = harness.snapshot(2L, 2L);
    List<String> upToSix = records(harness);
    harness.close();
    harness = open(backend, rewritten);
    for (int i = 1; i < AFTER.length; i++) {
      InputEvent event = codec.parse(AFTER[i]);
      harness.processElement(new StreamRecord<>(event, event.timestampMs()));
    }
    harness.processWatermark(Long.MAX_VALUE);
    List<String> all = new java.util.ArrayList<>(upToSix);
    all.addAll(records(harness));
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    harness.close();
  }

  private static List<String> records(
      KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> harness) {
    List<String> records = harness.extractOutputValues().stream().map(EventCodec::format).toList();
    harness.getOutput().clear();
    return records;
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> open(
      String backend, OperatorSubtaskState from) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord>(
            new NeuronStepOperator(Fixtures.groups(), false, 0),
            (InputEvent e) -> e.group,
            Types.STRING);
    if (backend.equals("rocksdb")) {
      harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    harness.initializeState(from);
    harness.open();
    return harness;
  }
}
