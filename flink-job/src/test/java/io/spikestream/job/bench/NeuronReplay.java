package io.spikestream.job.bench;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.neural.Neuron;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The neuron part of the activity scenario without Flink: an activity input's events, grouped by
 * group and step as the job's operator groups them, stepped through each model's neurons as the
 * job's group stepper steps them ({@link Neuron#skipIdle} over idle steps, {@link
 * Neuron#forwardSparse} per step that received events), on one thread, timed. For models that skip
 * idle steps lazily it also reports the unit steps they took (neural-core's own count, read by
 * reflection: each is one neuron's step, most of them replays of zero-input steps when a neuron
 * left behind is touched again).
 */
final class NeuronReplay {

  private NeuronReplay() {}

  static void run(BenchInput input, List<String> models, int rounds) throws IOException {
    // the events in step order, then group, then time (the operator sums a step's events in
    // arrival order; the activity's currents are whole numbers, so the order does not matter)
    List<String> lines = new java.util.ArrayList<>();
    try (var files = Files.list(input.eventFiles())) {
      for (Path file : files.sorted().toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    Map<String, Integer> index = new HashMap<>();
    for (String id : GroupsFile.load(input.groups()).keySet()) {
      index.put(id, index.size());
    }
    int n = lines.size();
    long[] key = new long[n];
    int[] neuron = new int[n];
    double[] current = new double[n];
    for (int i = 0; i < n; i++) {
      String line = lines.get(i);
      int group = index.get(field(line, "\"group\":\"", '"'));
      long micros = Long.parseLong(field(line, "\"t\":", ',').replace(".", ""));
      // step (ms) in the high bits, then group, then the microsecond within the step
      key[i] = (micros / 1000) << 32 | (long) group << 10 | micros % 1000;
      neuron[i] = Integer.parseInt(field(line, "\"index\":[", ']'));
      current[i] = Double.parseDouble(field(line, "\"current\":[", ']'));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(key[a], key[b]));
    System.out.printf(
        Locale.ROOT,
        "== replay of %d events, %d groups, without Flink, one thread, %d rounds each%n",
        n,
        index.size(),
        rounds);
    for (int round = 0; round < rounds; round++) {
      for (String model : models) {
        replay(input, model, order, key, neuron, current, index.size());
      }
    }
  }

  private static void replay(
      BenchInput input,
      String model,
      Integer[] order,
      long[] key,
      int[] neuron,
      double[] current,
      int groups) {
    Neuron[] neurons = new Neuron[groups];
    int g = 0;
    for (GroupConfig group : GroupsFile.load(input.groups(model)).values()) {
      neurons[g++] = group.newNeuron();
    }
    long[] last = new long[groups];
    Arrays.fill(last, -1);
    int[] indices = new int[64];
    double[] currents = new double[64];
    long steps = 0;
    long spikes = 0;
    long nanos = 0;
    for (int p = 0; p < order.length; ) {
      long stepAndGroup = key[order[p]] >>> 10;
      int group = (int) (stepAndGroup & ((1 << 22) - 1));
      long step = stepAndGroup >>> 22;
      int count = 0;
      while (p < order.length && key[order[p]] >>> 10 == stepAndGroup) {
        indices[count] = neuron[order[p]];
        currents[count++] = current[order[p]];
        p++;
      }
      Neuron target = neurons[group];
      long start = System.nanoTime();
      long idle = last[group] < 0 ? step : step - last[group] - 1;
      // as the operator: idle steps one by one while a neuron can spike without input (an ALIF's),
      // then skipped
      for (; idle > 0 && target.canSpikeWithoutInput(); idle--) {
        spikes += target.forwardSparse(indices, currents, 0).length;
      }
      if (idle > 0) {
        target.skipIdle(idle);
      }
      spikes += target.forwardSparse(indices, currents, count).length;
      nanos += System.nanoTime() - start;
      last[group] = step;
      steps++;
    }
    long unitSteps = unitSteps(neurons);
    System.out.printf(
        Locale.ROOT,
        "replay %-5s %d steps, %d spikes, %.0f ns per step (%.0f ns per event)%s%n",
        model,
        steps,
        spikes,
        (double) nanos / steps,
        (double) nanos / order.length,
        unitSteps < 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", %.1f unit steps per step (%.1f per event)",
                (double) unitSteps / steps,
                (double) unitSteps / order.length));
  }

  /** The unit steps lazily stepped models took in all, or -1 for other models. */
  private static long unitSteps(Neuron[] neurons) {
    long total = 0;
    for (Neuron neuron : neurons) {
      Field field = null;
      for (Class<?> c = neuron.getClass(); c != null && field == null; c = c.getSuperclass()) {
        try {
          field = c.getDeclaredField("unitSteps");
        } catch (NoSuchFieldException e) {
          // not declared here
        }
      }
      if (field == null) {
        return -1;
      }
      try {
        field.setAccessible(true);
        total += field.getLong(neuron);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1;
      }
    }
    return total;
  }

  private static String field(String line, String prefix, char end) {
    int from = line.indexOf(prefix) + prefix.length();
    return line.substring(from, line.indexOf(end, from));
  }
}
