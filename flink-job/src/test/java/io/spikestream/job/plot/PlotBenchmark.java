package io.spikestream.job.plot;

import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.SpikeRecord;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine;

/**
 * Times the {@code plot} command on a large generated run; not a test. Build the job jar ({@code
 * mvn -B -q -pl flink-job -am package -DskipTests}), then, from {@code flink-job}, run one plot per
 * JVM as a user does:
 *
 * <pre>
 *   /usr/bin/time -f "%e s, %U s user, %M KB RSS" java -Xmx256m \
 *     -cp target/spikestream-job.jar:target/test-classes \
 *     io.spikestream.job.plot.PlotBenchmark /tmp/plot-bench 1000000 [plot options...]
 * </pre>
 *
 * The first time, it writes {@code records} spike records into {@code DIR/spikes/} (4 part files,
 * groups interleaved): half to {@code retina}, 1000 neurons, about 20 spikes per step, no voltages;
 * half to {@code v1}, 64 neurons with voltages (about 1.5 spikes per step); steps of 0.1 ms. Then
 * it runs {@code plot --output DIR --png DIR/plot.png} with the further options given, and prints
 * the command's summary line and the heap in use after it.
 */
public final class PlotBenchmark {

  private PlotBenchmark() {}

  /**
   * @param args the run directory, the number of records, then options for the plot command
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long records = Long.parseLong(args[1]);
    if (!Files.isDirectory(dir.resolve("spikes"))) {
      long started = System.nanoTime();
      generate(dir, records);
      System.out.printf(
          "generated %,d records in %.1f s, %,d bytes%n",
          records, (System.nanoTime() - started) / 1e9, size(dir.resolve("spikes")));
    }
    List<String> plot =
        new ArrayList<>(
            List.of("--output", dir.toString(), "--png", dir.resolve("plot.png").toString()));
    plot.addAll(List.of(args).subList(2, args.length));
    int code = new CommandLine(new PlotCommand()).execute(plot.toArray(String[]::new));
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(
        "exit %d; heap in use after the plot %,d MB (max %,d MB)%n",
        code, (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);
  }

  private static long size(Path spikes) throws Exception {
    try (var files = Files.list(spikes)) {
      return files.mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private static void generate(Path dir, long records) throws Exception {
    Path spikes = Files.createDirectories(dir.resolve("spikes"));
    List<BufferedWriter> parts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      parts.add(Files.newBufferedWriter(spikes.resolve(SpikeRuns.partName(i % 2, i))));
    }
    SplittableRandom random = new SplittableRandom(1);
    float[] v = new float[64];
    Arrays.fill(v, -65f);
    for (long i = 0; i < records; i++) {
      long step = i / 2;
      double t = step * 0.1;
      SpikeRecord record;
      if (i % 2 == 0) {
        int[] spiked = random.ints(20, 0, 1000).sorted().distinct().toArray();
        record = new SpikeRecord("retina", step, t, spiked, null);
      } else {
        List<Integer> spiked = new ArrayList<>();
        float[] voltage = new float[64];
        for (int n = 0; n < 64; n++) {
          // leaky drift towards threshold with noise; reset after a spike
          v[n] += 0.05f * (-65f - v[n]) + (float) random.nextGaussian() * 1.5f + 0.8f;
          if (v[n] >= -50f) {
            spiked.add(n);
            v[n] = -70f;
          }
          voltage[n] = v[n];
        }
        record =
            new SpikeRecord(
                "v1", step, t, spiked.stream().mapToInt(Integer::intValue).toArray(), voltage);
      }
      BufferedWriter part = parts.get((int) (i % 4));
      part.write(EventCodec.format(record));
      part.newLine();
    }
    for (BufferedWriter part : parts) {
      part.close();
    }
  }
}
