package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.neural.Neuron;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LIF and ALIF groups in the operator: over random events with idle gaps of 0 to thousands of
 * steps, the spike records (values, voltages, timestamps) equal those of the group's neurons
 * stepped every step from step 0 with a dense input (zero in idle steps), one record for each step
 * that received events and for each idle step in which a neuron spiked; also across snapshots and
 * restores on both backends. Records come out with their step's timer as timestamp, before the
 * watermark that ran them, never after a watermark that passed them.
 */
class NeuronModelsOperatorTest {

  /** A leaky group, and an adaptive one whose threshold falls faster than its voltage. */
  static final String GROUPS =
      """
      groups:
        - {id: lif, model: lif, shape: [5], batch_size: 2, step_time: 1.0, rest_v: -60,
           reset_v: -70, thresh_v: -50, refrac_t: 2.0, time_constant: 20, resistance: 1.5}
        - {id: alif, model: alif, shape: [2, 3], step_time: 0.5, rest_v: -60, reset_v: -65,
           thresh_eq_v: -52, refrac_t: 0.5, tc_membrane: 100, tc_adaptation: [2, 40],
           spike_increment: [10, 1]}
      """;

  static final Map<String, GroupConfig> CONFIG = GroupsFile.parse(GROUPS);

  @ParameterizedTest
  @ValueSource(longs = {20261201L, 20261202L, 20261203L})
  void idleGapsOfAnyLengthGiveTheOutputOfSteppingEveryStep(long seed) throws Exception {
    List<InputEvent> events = events(new Random(seed));
    List<String> expected = new ArrayList<>();
    for (GroupConfig group : CONFIG.values()) {
      expected.addAll(steppedEveryStep(group, events));
    }
    var harness = open("hashmap", null);
    List<Object> output = new ArrayList<>();
    for (InputEvent event : events) {
      harness.processElement(new StreamRecord<>(event, event.timestampMs()));
      harness.processWatermark(event.timestampMs() - 1);
    }
    harness.processWatermark(Long.MAX_VALUE);
    output.addAll(harness.getOutput());
    harness.close();

    assertThat(records(output)).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(records(output))
        .as("the adaptive group fires in idle steps, seed %d", seed)
        .anyMatch(record -> record.startsWith("{\"group\":\"alif\""));
    assertTimestampsAndWatermarkOrder(output);
  }

  @org.junit.jupiter.api.Test
  void anAdaptiveGroupFiresInIdleStepsAsTheWatermarkPassesThemWithoutLaterEvents()
      throws Exception {
    EventCodec codec = new EventCodec(CONFIG);
    List<InputEvent> drive = new ArrayList<>();
    for (int step = 0; step < 6; step++) {
      drive.add(
          codec.parse(
              "{\"group\":\"alif\",\"t\":"
                  + (step * 0.5)
                  + ",\"currents\":[800,1200,1600,2000,2400,2800]}"));
    }
    List<String> expected = steppedEveryStep(CONFIG.get("alif"), drive);
    assertThat(expected).as("idle steps with spikes after the drive").hasSizeGreaterThan(6);
    var harness = open("hashmap", null);
    for (InputEvent event : drive) {
      harness.processElement(new StreamRecord<>(event, event.timestampMs()));
    }
    harness.processWatermark(1_000); // a live stream's watermark, with no later event
    List<Object> output = new ArrayList<>(harness.getOutput());
    harness.close();
    assertThat(records(output)).containsExactlyElementsOf(expected);
    assertTimestampsAndWatermarkOrder(output);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void restoredFromAnySnapshotTheOutputIsThatOfSteppingEveryStep(String backend) throws Exception {
    List<InputEvent> events = events(new Random(7));
    List<String> expected = new ArrayList<>();
    for (GroupConfig group : CONFIG.values()) {
      expected.addAll(steppedEveryStep(group, events));
    }
    List<String> got = new ArrayList<>();
    var harness = open(backend, null);
    for (int i = 0; i < events.size(); i++) {
      InputEvent event = events.get(i);
      harness.processElement(new StreamRecord<>(event, event.timestampMs()));
      harness.processWatermark(event.timestampMs() - 1);
      if (i % 97 == 96) {
        harness.prepareSnapshotPreBarrier(i);
        OperatorSubtaskState snapshot = harness.snapshot(i, i);
        got.addAll(records(new ArrayList<>(harness.getOutput())));
        harness.close();
        harness = open(backend, snapshot);
      }
    }
    harness.processWatermark(Long.MAX_VALUE);
    got.addAll(records(new ArrayList<>(harness.getOutput())));
    harness.close();
    assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord> open(
      String backend, OperatorSubtaskState from) throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<String, InputEvent, SpikeRecord>(
            new NeuronStepOperator(CONFIG, true, 0), (InputEvent e) -> e.group, Types.STRING);
    if (backend.equals("rocksdb")) {
      harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    if (from != null) {
      harness.initializeState(from);
    }
    harness.open();
    return harness;
  }

  /**
   * Random sparse and dense events of both groups in time order, in bursts with idle gaps of 0 to
   * 3000 steps; strong currents, so that the neurons fire, refract and adapt.
   */
  static List<InputEvent> events(Random random) throws Exception {
    EventCodec codec = new EventCodec(CONFIG);
    List<InputEvent> events = new ArrayList<>();
    double t = 0;
    for (int burst = 0; burst < 60; burst++) {
      int gap = random.nextInt(5) == 0 ? random.nextInt(3000) : random.nextInt(4);
      t += gap * 0.5 + random.nextDouble() * 0.5;
      for (int e = random.nextInt(6); e >= 0; e--) {
        String group = random.nextBoolean() ? "lif" : "alif";
        int neurons = CONFIG.get(group).neurons();
        String line;
        if (random.nextInt(8) == 0) {
          StringBuilder currents = new StringBuilder();
          for (int i = 0; i < neurons; i++) {
            currents.append(i == 0 ? "" : ",").append(random.nextGaussian() * 10);
          }
          line = "{\"group\":\"" + group + "\",\"t\":" + t + ",\"currents\":[" + currents + "]}";
        } else {
          int index = random.nextInt(neurons);
          double current = -5 + random.nextDouble() * 40;
          line =
              "{\"group\":\""
                  + group
                  + "\",\"t\":"
                  + t
                  + ",\"index\":["
                  + index
                  + "],\"current\":["
                  + current
                  + "]}";
        }
        events.add(codec.parse(line));
        t += random.nextDouble() * 0.2;
      }
    }
    return events;
  }

  /**
   * A group's spike records as its neurons stepped every step from step 0 give them: a dense
   * float64 input per step (each neuron's currents summed in arrival order, zero in idle steps),
   * through {@link Neuron#forward}.
   */
  static List<String> steppedEveryStep(GroupConfig group, List<InputEvent> events) {
    Map<Long, double[]> inputs = new LinkedHashMap<>();
    for (InputEvent event : events) {
      if (event.group.equals(group.id())) {
        double[] sums = inputs.computeIfAbsent(event.step, step -> new double[group.neurons()]);
        if (event.currents != null) {
          for (int i = 0; i < sums.length; i++) {
            sums[i] += event.currents[i];
          }
        }
        if (event.index != null) {
          for (int i = 0; i < event.index.length; i++) {
            sums[event.index[i]] += event.current[i];
          }
        }
      }
    }
    long last = inputs.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    Neuron neuron = group.newNeuron();
    List<String> records = new ArrayList<>();
    double[] zeros = new double[group.neurons()];
    for (long step = 0; step <= last || neuron.canSpikeWithoutInput(); step++) {
      double[] input = inputs.getOrDefault(step, zeros);
      INDArray spikes = neuron.forward(Nd4j.create(input, group.batchedShape(), DataType.DOUBLE));
      int[] spiked = neuron.spikedIndices();
      if (inputs.containsKey(step) || spiked.length > 0) {
        float[] voltage = neuron.voltage().data().asFloat();
        records.add(
            EventCodec.format(
                new SpikeRecord(group.id(), step, group.stepStart(step), spiked, voltage)));
      }
      assertThat(spikes.castTo(DataType.INT).sumNumber().intValue()).isEqualTo(spiked.length);
    }
    return records;
  }

  static List<String> records(List<Object> output) {
    List<String> records = new ArrayList<>();
    for (Object element : output) {
      if (element instanceof StreamRecord<?> record) {
        records.add(EventCodec.format((SpikeRecord) record.getValue()));
      }
    }
    return records;
  }

  /**
   * Every record carries its step's timer as timestamp, comes after the watermarks below it and
   * before the first watermark at or above it.
   */
  static void assertTimestampsAndWatermarkOrder(List<Object> output) {
    long lastWatermark = Long.MIN_VALUE;
    for (Object element : output) {
      if (element instanceof Watermark watermark) {
        lastWatermark = watermark.getTimestamp();
      } else if (element instanceof StreamRecord<?> record) {
        SpikeRecord spikes = (SpikeRecord) record.getValue();
        GroupConfig group = CONFIG.get(spikes.group);
        assertThat(record.getTimestamp()).isEqualTo(group.timerOf(spikes.step));
        assertThat(record.getTimestamp())
            .as("step %d of %s after the watermark that passed it", spikes.step, spikes.group)
            .isGreaterThan(lastWatermark);
      }
    }
    assertThat(Arrays.asList(output.toArray()).get(output.size() - 1))
        .isInstanceOf(Watermark.class);
  }
}
