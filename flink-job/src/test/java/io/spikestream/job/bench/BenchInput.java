package io.spikestream.job.bench;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.neural.Neuron;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark's input: a groups file and JSON-lines events split over two files (lines alternate
 * between them, so each file is in event-time order and both readers of a parallelism 2 job have
 * work), with the numbers a run must reproduce.
 *
 * @param dir the directory of {@code groups.yaml} and {@code events/}
 * @param events the number of input lines
 * @param steps the number of (group, step) pairs with events: the spike records a run emits
 * @param neuronsPerGroup the neurons of every group
 */
record BenchInput(Path dir, long events, long steps, int neuronsPerGroup) {

  /** The groups file. */
  Path groups() {
    return dir.resolve("groups.yaml");
  }

  /** The directory of event files. */
  Path eventFiles() {
    return dir.resolve("events");
  }

  /** Neuron-steps the run computes: every step runs a whole group. */
  long neuronSteps() {
    return steps * neuronsPerGroup;
  }

  /**
   * Dense frames: {@code groups} groups of {@code neurons} neurons, step 1 ms; frame i goes to
   * group {@code i % groups} at {@code t = i / groups} ms, so every frame is a step of its own.
   * Currents are uniform in [-1, 1) with three decimals, as a sensor would send them.
   */
  static BenchInput dense(Path dir, long frames, int groups, int neurons) throws IOException {
    writeGroups(dir, "cam", groups, neurons);
    SplittableRandom random = new SplittableRandom(1);
    StringBuilder line = new StringBuilder(neurons * 7 + 64);
    try (Lines out = new Lines(dir, 2)) {
      for (long i = 0; i < frames; i++) {
        line.setLength(0);
        line.append("{\"group\":\"")
            .append(name("cam", (int) (i % groups)))
            .append("\",\"t\":")
            .append(i / groups)
            .append(",\"currents\":[");
        for (int n = 0; n < neurons; n++) {
          if (n > 0) {
            line.append(',');
          }
          decimal(line, random.nextInt(-1000, 1000));
        }
        out.write(i, line.append("]}"));
      }
    }
    return new BenchInput(dir, frames, frames, neurons);
  }

  /**
   * Sparse events: one neuron's current per event, over {@code groups} groups of {@code neurons}
   * neurons, step 1 ms; groups drawn uniformly, event time advancing so that a group's step gets
   * {@code perStep} events on average.
   */
  static BenchInput sparse(Path dir, long events, int groups, int neurons, double perStep)
      throws IOException {
    return sparse(dir, events, groups, neurons, perStep, 2);
  }

  /** {@link #sparse}, its lines in {@code files} event files (line i into file i % files). */
  static BenchInput sparse(
      Path dir, long events, int groups, int neurons, double perStep, int files)
      throws IOException {
    writeGroups(dir, "g", groups, neurons);
    SplittableRandom random = new SplittableRandom(2);
    long[] lastStep = new long[groups];
    Arrays.fill(lastStep, -1);
    long steps = 0;
    double msPerEvent = 1.0 / (perStep * groups);
    StringBuilder line = new StringBuilder(96);
    try (Lines out = new Lines(dir, files)) {
      for (long i = 0; i < events; i++) {
        int g = random.nextInt(groups);
        // integer microseconds keep the text short and the step exact
        long micros = (long) (i * msPerEvent * 1000);
        long step = micros / 1000;
        if (step != lastStep[g]) {
          lastStep[g] = step;
          steps++;
        }
        line.setLength(0);
        line.append("{\"group\":\"")
            .append(name("g", g))
            .append("\",\"t\":")
            .append(step)
            .append('.');
        String frac = Long.toString(1000 + micros % 1000).substring(1);
        line.append(frac)
            .append(",\"index\":[")
            .append(random.nextInt(neurons))
            .append("],\"current\":[");
        decimal(line, random.nextInt(-1000, 1000));
        out.write(i, line.append("]}"));
      }
    }
    return new BenchInput(dir, events, steps, neurons);
  }

  /** The LIF parameters of {@link #activity}'s groups. */
  static final String LIF_PARAMETERS =
      "rest_v: -65.0, reset_v: -70.0, thresh_v: -50.0, refrac_t: 2.0, time_constant: 20.0,"
          + " resistance: 1.0";

  /**
   * The ALIF parameters of {@link #activity}'s third groups file (for the neurons alone: {@code
   * activity-replay}): the LIF's, with one adaptation of τ 100 ms and 1 mV per spike.
   */
  static final String ALIF_PARAMETERS =
      "rest_v: -65.0, reset_v: -70.0, thresh_eq_v: -50.0, refrac_t: 2.0, tc_membrane: 20.0,"
          + " tc_adaptation: [100.0], spike_increment: [1.0], resistance: 1.0";

  /**
   * The groups file of {@link #activity}'s groups with the given model.
   *
   * @param model {@code exact}, {@code lif} or {@code alif}
   */
  Path groups(String model) {
    return model.equals("exact") ? groups() : dir.resolve("groups-" + model + ".yaml");
  }

  /**
   * Sparse single-neuron events into groups that are active in some steps and idle in others, as a
   * sensor network's groups are: each group has its own activity rate, drawn log-uniformly from 2%
   * to 60% of the steps (mean 17%); it alternates between bursts of active steps (geometric
   * lengths, mean 5 steps) and idle gaps (geometric, mean {@code 5 (1 - rate) / rate} steps: 3 at
   * 60%, 245 at 2%), starting in either as its rate says. An active step gets 1 to 5 events
   * (uniform), each at a uniform time within the step, to a uniform neuron, with a whole-number
   * current uniform in [100, 400) nA: with the LIF groups' R = 1 MΩ and τ = 20 ms an event lifts
   * its neuron at rest by 4.9 to 19.5 mV (R I (1 - exp(-Δt / τ))), so one event of more than 307.6
   * nA, or two close ones, fire it (threshold 15 mV above rest). Whole numbers sum exactly in any
   * order, so the spikes do not depend on the order in which the two readers' events of a step
   * meet. About 512 events per ms over 1000 groups; steps run until {@code events} are written (the
   * last step whole).
   *
   * <p>Three groups files name the same groups: {@code groups.yaml} with ExactNeuron (a neuron
   * spikes where its summed current is positive: every event's neuron), {@code groups-lif.yaml}
   * with LIF ({@link #LIF_PARAMETERS}) and {@code groups-alif.yaml} with ALIF ({@link
   * #ALIF_PARAMETERS}). The spikes each model must produce are counted here by running the neurons
   * exactly as the job's group stepper does ({@link Neuron#skipIdle} over idle steps, {@link
   * Neuron#forwardSparse} for each active step, the events in file order), and written with the
   * input's shape to {@code expected.txt}.
   */
  static BenchInput activity(Path dir, long events, int groups, int neurons) throws IOException {
    writeGroups(dir, "g", groups, neurons);
    StringBuilder yaml = new StringBuilder("groups:\n");
    StringBuilder alif = new StringBuilder("groups:\n");
    for (int g = 0; g < groups; g++) {
      String start = "  - {id: " + name("g", g) + ", model: ";
      String shape = ", shape: [" + neurons + "], step_time: 1.0, ";
      yaml.append(start).append("lif").append(shape).append(LIF_PARAMETERS).append("}\n");
      alif.append(start).append("alif").append(shape).append(ALIF_PARAMETERS).append("}\n");
    }
    Files.writeString(dir.resolve("groups-lif.yaml"), yaml);
    Files.writeString(dir.resolve("groups-alif.yaml"), alif);
    Neuron[] lif = new Neuron[groups];
    Neuron[] alifs = new Neuron[groups];
    Neuron[] exact = new Neuron[groups];
    int gi = 0;
    for (GroupConfig group : GroupsFile.load(dir.resolve("groups-alif.yaml")).values()) {
      alifs[gi++] = group.newNeuron();
    }
    gi = 0;
    for (GroupConfig group : GroupsFile.load(dir.resolve("groups-lif.yaml")).values()) {
      lif[gi++] = group.newNeuron();
    }
    gi = 0;
    for (GroupConfig group : GroupsFile.load(dir.resolve("groups.yaml")).values()) {
      exact[gi++] = group.newNeuron();
    }

    SplittableRandom random = new SplittableRandom(3);
    double meanBurst = 5;
    double[] rate = new double[groups];
    double[] meanGap = new double[groups];
    boolean[] active = new boolean[groups];
    long[] lastStep = new long[groups];
    long[] activeSteps = new long[groups];
    Arrays.fill(lastStep, -1);
    for (int g = 0; g < groups; g++) {
      rate[g] = 0.02 * Math.pow(30, random.nextDouble());
      meanGap[g] = meanBurst * (1 - rate[g]) / rate[g];
      active[g] = random.nextDouble() < rate[g];
    }
    List<Long> gaps = new ArrayList<>();
    // one step's events: (micros << 32 | event number), sorted, with the event's group, neuron
    // and current by event number
    long[] order = new long[groups * 5];
    int[] groupOf = new int[order.length];
    int[] neuronOf = new int[order.length];
    int[] currentOf = new int[order.length];
    // a group's events of the step, in file order, for its neurons
    int[][] stepIndex = new int[groups][5];
    double[][] stepCurrent = new double[groups][5];
    int[] stepCount = new int[groups];
    long written = 0;
    long steps = 0;
    long exactSpikes = 0;
    long lifSpikes = 0;
    long[] alifIdle = new long[2]; // spikes and spike records of idle steps
    long alifSpikes = 0;
    long step = 0;
    StringBuilder line = new StringBuilder(96);
    try (Lines out = new Lines(dir, 2)) {
      for (; written < events; step++) {
        int n = 0;
        for (int g = 0; g < groups; g++) {
          if (!active[g]) {
            continue;
          }
          int k = 1 + random.nextInt(5);
          for (int e = 0; e < k; e++) {
            order[n] = (long) random.nextInt(1000) << 32 | n;
            groupOf[n] = g;
            neuronOf[n] = random.nextInt(neurons);
            currentOf[n] = random.nextInt(100, 330);
            n++;
          }
        }
        Arrays.sort(order, 0, n);
        for (int i = 0; i < n; i++) {
          long micros = order[i] >>> 32;
          int e = (int) order[i];
          int g = groupOf[e];
          stepIndex[g][stepCount[g]] = neuronOf[e];
          stepCurrent[g][stepCount[g]++] = currentOf[e];
          line.setLength(0);
          line.append("{\"group\":\"")
              .append(name("g", g))
              .append("\",\"t\":")
              .append(step)
              .append('.')
              .append(Long.toString(1000 + micros).substring(1))
              .append(",\"index\":[")
              .append(neuronOf[e])
              .append("],\"current\":[")
              .append(currentOf[e])
              .append(".0]}");
          out.write(written++, line);
        }
        for (int g = 0; g < groups; g++) {
          if (stepCount[g] > 0) {
            long idle = lastStep[g] < 0 ? step : step - lastStep[g] - 1;
            if (lastStep[g] >= 0 && idle > 0) {
              gaps.add(idle);
            }
            if (idle > 0) {
              lif[g].skipIdle(idle);
              idleSteps(alifs[g], idle, alifIdle);
              exact[g].skipIdle(idle);
            }
            lifSpikes += lif[g].forwardSparse(stepIndex[g], stepCurrent[g], stepCount[g]).length;
            alifSpikes += alifs[g].forwardSparse(stepIndex[g], stepCurrent[g], stepCount[g]).length;
            exactSpikes +=
                exact[g].forwardSparse(stepIndex[g], stepCurrent[g], stepCount[g]).length;
            lastStep[g] = step;
            activeSteps[g]++;
            steps++;
            stepCount[g] = 0;
          }
          // the next step's state: a burst ends with probability 1 / meanBurst, a gap with 1 /
          // its mean length
          double end = active[g] ? 1 / meanBurst : 1 / meanGap[g];
          if (random.nextDouble() < end) {
            active[g] = !active[g];
          }
        }
      }
    }
    for (Neuron neuron : alifs) {
      // the job runs a group's idle steps after its last event while a neuron can still spike
      idleSteps(neuron, Long.MAX_VALUE, alifIdle);
    }
    alifSpikes += alifIdle[0];
    BenchInput input = new BenchInput(dir, written, steps, neurons);
    double[] measured = new double[groups];
    for (int g = 0; g < groups; g++) {
      measured[g] = (double) activeSteps[g] / step;
    }
    Arrays.sort(measured);
    long[] gapLengths = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
    String shape =
        String.format(
            Locale.ROOT,
            "%d events over %d ms of event time (%.0f per ms), %d groups x %d neurons; groups"
                + " active in %.1f%% (min) / %.1f%% (median) / %.1f%% (max) of the steps;"
                + " %.2f events per active step; idle gaps between active steps: median %d,"
                + " p90 %d, p99 %d, max %d steps; %d steps with events",
            written,
            step,
            (double) written / step,
            groups,
            neurons,
            100 * measured[0],
            100 * measured[groups / 2],
            100 * measured[groups - 1],
            (double) written / steps,
            gapLengths[gapLengths.length / 2],
            gapLengths[(int) (gapLengths.length * 0.90)],
            gapLengths[(int) (gapLengths.length * 0.99)],
            gapLengths[gapLengths.length - 1],
            steps);
    Files.writeString(
        dir.resolve("expected.txt"),
        "spikes.exact="
            + exactSpikes
            + "\nspikes.lif="
            + lifSpikes
            + "\nspikes.alif="
            + alifSpikes
            + "\nrecords.alif="
            + (steps + alifIdle[1])
            + "\nshape="
            + shape
            + "\n");
    return input;
  }

  /**
   * Idle steps as the job's group stepper runs them: one by one while some neuron could spike
   * without input (an ALIF's hot neurons), the rest skipped at once.
   *
   * @param steps how many, or {@link Long#MAX_VALUE} for as many as some neuron can spike in
   * @param counted adds the spikes to {@code counted[0]} and the steps with spikes (one spike
   *     record each) to {@code counted[1]}
   */
  private static void idleSteps(Neuron neuron, long steps, long[] counted) {
    long left = steps;
    while (left > 0 && neuron.canSpikeWithoutInput()) {
      int spikes = neuron.forwardSparse(new int[0], new double[0], 0).length;
      counted[0] += spikes;
      counted[1] += spikes > 0 ? 1 : 0;
      left--;
    }
    if (left > 0 && steps != Long.MAX_VALUE) {
      neuron.skipIdle(left);
    }
  }

  /**
   * What {@link #activity} wrote to {@code expected.txt}.
   *
   * @param key {@code spikes.exact}, {@code spikes.lif}, {@code spikes.alif}, {@code records.alif}
   *     (spike records: one per step with events, and one per idle step an ALIF spiked in) or
   *     {@code shape}
   */
  String expected(String key) throws IOException {
    for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
      if (line.startsWith(key + "=")) {
        return line.substring(key.length() + 1);
      }
    }
    throw new IllegalStateException("no " + key + " in " + dir.resolve("expected.txt"));
  }

  static String name(String prefix, int g) {
    return prefix + "-" + String.format("%04d", g);
  }

  private static void writeGroups(Path dir, String prefix, int groups, int neurons)
      throws IOException {
    Files.createDirectories(dir.resolve("events"));
    StringBuilder yaml = new StringBuilder("groups:\n");
    for (int g = 0; g < groups; g++) {
      yaml.append("  - {id: ")
          .append(name(prefix, g))
          .append(", model: exact, shape: [")
          .append(neurons)
          .append("], step_time: 1.0, rest_v: -65.0, thresh_v: -50.0}\n");
    }
    Files.writeString(dir.resolve("groups.yaml"), yaml);
  }

  /** {@code thousandths / 1000} with three decimals, e.g. -0.042. */
  private static void decimal(StringBuilder out, int thousandths) {
    if (thousandths < 0) {
      out.append('-');
      thousandths = -thousandths;
    }
    out.append(thousandths / 1000).append('.');
    int frac = thousandths % 1000;
    out.append((char) ('0' + frac / 100))
        .append((char) ('0' + frac / 10 % 10))
        .append((char) ('0' + frac % 10));
  }

  /** Event files, line i into file i % files. */
  private static final class Lines implements AutoCloseable {
    private final BufferedWriter[] files;

    Lines(Path dir, int count) throws IOException {
      files = new BufferedWriter[count];
      for (int f = 0; f < files.length; f++) {
        files[f] =
            Files.newBufferedWriter(
                dir.resolve("events").resolve("part-" + f + ".jsonl"), StandardCharsets.UTF_8);
      }
    }

    void write(long i, CharSequence line) throws IOException {
      BufferedWriter file = files[(int) (i % files.length)];
      file.append(line).append('\n');
    }

    @Override
    public void close() throws IOException {
      for (BufferedWriter file : files) {
        file.close();
      }
    }
  }
}
