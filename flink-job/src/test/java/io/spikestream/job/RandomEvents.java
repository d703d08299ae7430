package io.spikestream.job;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.SpikeRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A random input stream for whole-job tests and the output a straightforward per-step computation
 * expects of it: groups of random shapes and step times, dense, sparse and override events in
 * event-time order with bounded disorder (never late), and a sprinkling of bad lines.
 */
public final class RandomEvents {

  /** The groups of the stream. */
  public final Map<String, GroupConfig> groups = new LinkedHashMap<>();

  /** The input lines, in file order. */
  public final List<String> lines = new ArrayList<>();

  /** The number of lines that must end in dead-letter: all lines the codec rejects. */
  public int badLines;

  private final Random random;

  /**
   * @param seed the random seed (print it in failures)
   * @param events how many valid events
   * @param outOfOrdernessMs how far behind the newest event time an event may come, in ms
   */
  public RandomEvents(long seed, int events, long outOfOrdernessMs) {
    this(seed, events, outOfOrdernessMs, false);
  }

  /**
   * Events of four LIF groups (their override events are dead letters, as a LIF takes none).
   *
   * @param seed the random seed (print it in failures)
   * @param events how many valid events
   * @param outOfOrdernessMs how far behind the newest event time an event may come, in ms
   * @return the stream
   */
  public static RandomEvents lif(long seed, int events, long outOfOrdernessMs) {
    return new RandomEvents(seed, events, outOfOrdernessMs, true);
  }

  /** A leaky group that fires, refracts and leaks over the streams' currents (about ±1 nA). */
  static final io.spikestream.job.config.NeuronSpec.Lif LIF =
      new io.spikestream.job.config.NeuronSpec.Lif(-60, -65, -50, 1.0, 10, 12);

  private RandomEvents(long seed, int events, long outOfOrdernessMs, boolean lif) {
    random = new Random(seed);
    double[] stepTimes = {1.0, 0.5, 2.5, 0.3};
    for (int g = 0; g < 4; g++) {
      long[] shape = new long[1 + random.nextInt(2)];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = 1 + random.nextInt(6);
      }
      GroupConfig group =
          lif
              ? new GroupConfig(
                  "group-" + g,
                  LIF,
                  shape,
                  1 + random.nextInt(2),
                  stepTimes[g],
                  g * 3.25,
                  GroupConfig.DEFAULT_EVENT_CURRENT,
                  1)
              : new GroupConfig(
                  "group-" + g,
                  "exact",
                  shape,
                  1 + random.nextInt(2),
                  stepTimes[g],
                  -65.0,
                  -50.0,
                  g * 3.25);
      groups.put(group.id(), group);
    }
    List<GroupConfig> list = new ArrayList<>(groups.values());
    double time = 10.0;
    long maxTimestamp = Long.MIN_VALUE;
    for (int i = 0; i < events; i++) {
      time += random.nextDouble() * 0.2;
      double t = time - random.nextDouble() * outOfOrdernessMs;
      // never late: its timestamp stays within the bound of the newest timestamp so far
      if (maxTimestamp != Long.MIN_VALUE && Math.floor(t) < maxTimestamp - outOfOrdernessMs) {
        t = time;
      }
      maxTimestamp = Math.max(maxTimestamp, (long) Math.floor(t));
      GroupConfig group = list.get(random.nextInt(list.size()));
      lines.add(line(group, t));
      if (random.nextInt(50) == 0) {
        lines.add(badLine(group, t));
      }
    }
    EventCodec codec = new EventCodec(groups);
    for (String line : lines) {
      try {
        codec.parse(line);
      } catch (io.spikestream.job.event.BadEventException e) {
        badLines++;
      }
    }
  }

  private String line(GroupConfig group, double t) {
    int n = group.neurons();
    StringBuilder json =
        new StringBuilder("{\"group\":\"").append(group.id()).append("\",\"t\":").append(t);
    int kind = random.nextInt(10);
    if (kind < 4) {
      json.append(",\"currents\":").append(numbers(n));
    }
    if (kind >= 3 && kind < 9) {
      int k = random.nextInt(4);
      int[] index = new int[k];
      for (int i = 0; i < k; i++) {
        index[i] = random.nextInt(n);
      }
      json.append(",\"index\":")
          .append(Arrays.toString(index).replace(" ", ""))
          .append(",\"current\":")
          .append(numbers(k));
    }
    if (kind == 9) {
      int k = random.nextInt(3);
      int[] override = new int[k];
      for (int i = 0; i < k; i++) {
        override[i] = random.nextInt(n);
      }
      json.append(",\"override\":").append(Arrays.toString(override).replace(" ", ""));
    }
    return json.append('}').toString();
  }

  private String numbers(int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Math.round((random.nextGaussian() - 0.3) * 8) / 8.0; // many exact zeros
    }
    return Arrays.toString(values).replace(" ", "");
  }

  private String badLine(GroupConfig group, double t) {
    return switch (random.nextInt(4)) {
      case 0 -> "{\"group\":\"" + group.id() + "\",\"t\":" + t + ",\"currents\":[1]}";
      case 1 -> "{\"group\":\"nobody\",\"t\":" + t + ",\"override\":[]}";
      case 2 ->
          "{\"group\":\""
              + group.id()
              + "\",\"t\":"
              + t
              + ",\"index\":["
              + 99999
              + "],\"current\":[1]}";
      default -> "{\"group\":\"" + group.id() + "\",\"t\":";
    };
  }

  /**
   * The spike records a per-step loop over the valid events computes: for each (group, step) with
   * events, the per-neuron float64 sum of the currents in file order, or the union of the overrides
   * if any.
   *
   * @return the expected spike lines, as the job formats them
   */
  public List<String> expectedSpikes() throws Exception {
    EventCodec codec = new EventCodec(groups);
    Map<String, TreeMap<Long, List<InputEvent>>> steps = new LinkedHashMap<>();
    for (String line : lines) {
      InputEvent event;
      try {
        event = codec.parse(line);
      } catch (io.spikestream.job.event.BadEventException e) {
        continue;
      }
      steps
          .computeIfAbsent(event.group, g -> new TreeMap<>())
          .computeIfAbsent(event.step, s -> new ArrayList<>())
          .add(event);
    }
    List<String> expected = new ArrayList<>();
    if (groups.values().iterator().next().neuron()
        instanceof io.spikestream.job.config.NeuronSpec.Lif) {
      steps.forEach((id, byStep) -> expected.addAll(steppedEveryStep(groups.get(id), byStep)));
      return expected;
    }
    steps.forEach(
        (id, byStep) ->
            byStep.forEach(
                (step, events) -> {
                  GroupConfig group = groups.get(id);
                  int n = group.neurons();
                  boolean[] spikes = new boolean[n];
                  boolean overridden = events.stream().anyMatch(e -> e.override != null);
                  if (overridden) {
                    events.stream()
                        .filter(e -> e.override != null)
                        .forEach(e -> Arrays.stream(e.override).forEach(i -> spikes[i] = true));
                  } else {
                    double[] sum = perStepSums(events, n);
                    for (int i = 0; i < n; i++) {
                      spikes[i] = sum[i] > 0;
                    }
                  }
                  int[] indices =
                      java.util.stream.IntStream.range(0, n).filter(i -> spikes[i]).toArray();
                  expected.add(
                      EventCodec.format(
                          new SpikeRecord(id, step, group.stepStart(step), indices, null)));
                }));
    return expected;
  }

  /**
   * A group's spike records as its neurons stepped every step from step 0 give them: each step's
   * per-neuron float64 sums in arrival order as a dense input, zero in the steps without events; a
   * record for each step with events, and for each step without in which a neuron spiked.
   */
  static List<String> steppedEveryStep(GroupConfig group, TreeMap<Long, List<InputEvent>> steps) {
    io.spikestream.neural.Neuron neuron = group.newNeuron();
    int n = group.neurons();
    List<String> records = new ArrayList<>();
    long last = steps.isEmpty() ? -1 : steps.lastKey();
    for (long step = 0; step <= last || neuron.canSpikeWithoutInput(); step++) {
      List<InputEvent> events = steps.get(step);
      double[] input = events == null ? new double[n] : perStepSums(events, n);
      neuron.forward(
          org.nd4j.linalg.factory.Nd4j.create(
              input, group.batchedShape(), org.nd4j.linalg.api.buffer.DataType.DOUBLE));
      int[] spiked = neuron.spikedIndices();
      if (events != null || spiked.length > 0) {
        records.add(
            EventCodec.format(
                new SpikeRecord(group.id(), step, group.stepStart(step), spiked, null)));
      }
    }
    return records;
  }

  /**
   * Each neuron's float64 sum of the events' currents from 0 in list order: what a plain per-step
   * loop computes.
   *
   * @param events the events of one step, in arrival order
   * @param neurons the group's B*count
   * @return the sums
   */
  public static double[] perStepSums(List<InputEvent> events, int neurons) {
    double[] sum = new double[neurons];
    for (InputEvent e : events) {
      if (e.currents != null) {
        for (int i = 0; i < neurons; i++) {
          sum[i] += e.currents[i];
        }
      }
      if (e.index != null) {
        for (int j = 0; j < e.index.length; j++) {
          sum[e.index[j]] += e.current[j];
        }
      }
    }
    return sum;
  }

  /**
   * The groups file of the stream.
   *
   * @return YAML text
   */
  public String groupsYaml() {
    StringBuilder yaml = new StringBuilder("groups:\n");
    for (GroupConfig g : groups.values()) {
      if (g.neuron() instanceof io.spikestream.job.config.NeuronSpec.Lif lif) {
        yaml.append("  - {id: ")
            .append(g.id())
            .append(", model: lif, shape: ")
            .append(Arrays.toString(g.shape()))
            .append(", batch_size: ")
            .append(g.batchSize())
            .append(", step_time: ")
            .append(g.stepTime())
            .append(", rest_v: ")
            .append(lif.restV())
            .append(", reset_v: ")
            .append(lif.resetV())
            .append(", thresh_v: ")
            .append(lif.threshV())
            .append(", refrac_t: ")
            .append(lif.refracT())
            .append(", time_constant: ")
            .append(lif.timeConstant())
            .append(", resistance: ")
            .append(lif.resistance())
            .append(", t0: ")
            .append(g.t0())
            .append("}\n");
        continue;
      }
      yaml.append("  - {id: ")
          .append(g.id())
          .append(", model: exact, shape: ")
          .append(Arrays.toString(g.shape()))
          .append(", batch_size: ")
          .append(g.batchSize())
          .append(", step_time: ")
          .append(g.stepTime())
          .append(", rest_v: ")
          .append(((io.spikestream.job.config.NeuronSpec.Exact) g.neuron()).restV())
          .append(", thresh_v: ")
          .append(((io.spikestream.job.config.NeuronSpec.Exact) g.neuron()).threshV())
          .append(", t0: ")
          .append(g.t0())
          .append("}\n");
    }
    return yaml.toString();
  }
}
