package io.spikestream.job.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    try (Lines out = new Lines(dir)) {
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
    writeGroups(dir, "g", groups, neurons);
    SplittableRandom random = new SplittableRandom(2);
    long[] lastStep = new long[groups];
    Arrays.fill(lastStep, -1);
    long steps = 0;
    double msPerEvent = 1.0 / (perStep * groups);
    StringBuilder line = new StringBuilder(96);
    try (Lines out = new Lines(dir)) {
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

  /** Two event files, line i into file i % 2. */
  private static final class Lines implements AutoCloseable {
    private final BufferedWriter[] files = new BufferedWriter[2];

    Lines(Path dir) throws IOException {
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
