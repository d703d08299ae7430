package io.spikestream.job.bench;

import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.LineBuffer;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.job.io.camera.AddressEventDecoder;
import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.CameraFormat;
import io.spikestream.job.io.evt3.Imx636Evt3Generator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The event-camera throughput benchmark (see {@code flink-job/bench/camera.sh}): one EVT 3.0 file
 * of an IMX636's events at realistic statistics, written by the test encoder, through the job
 * ({@code java -jar}, embedded cluster) into a {@code [2, 720, 1280]} ExactNeuron group with 1 ms
 * steps and checkpoints every second, to committed JSON spike output; side by side in the same run,
 * a decode-only loop over the same file (the input side's limit) and the formatting of the run's
 * spike records alone (their share of the work).
 *
 * <p>A job run's time is its process's wall time minus that of a run of a file of one word-chunk
 * (the JVM, ND4J and embedded cluster start, the same in both); runs alternate, medians reported.
 */
public final class CameraBenchmark {

  private CameraBenchmark() {}

  /**
   * Runs the benchmark and prints its figures.
   *
   * @param args {@code --work DIR [--runs N (3)] [--events N (50000000)]}
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    Path work = Path.of(options.getOrDefault("--work", "target/bench"));
    int runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
    long events = Long.parseLong(options.getOrDefault("--events", "50000000"));
    Files.createDirectories(work);
    Path file = work.resolve("imx636-" + events + ".raw");
    if (!Files.exists(file)) {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        System.out.println(
            "== wrote "
                + file
                + ": "
                + new Imx636Evt3Generator(1, 10_000).write(out, events).line());
      }
    }
    Path tiny = work.resolve("one-chunk.raw");
    byte[] head = new byte[4096];
    try (var in = Files.newInputStream(file)) {
      Files.write(tiny, Arrays.copyOf(head, in.readNBytes(head, 0, head.length)));
    }
    Path groups = work.resolve("camera-groups.yaml");
    Files.writeString(
        groups,
        "groups:\n  - {id: cam, model: exact, shape: [2, 720, 1280], step_time: 1.0, rest_v:"
            + " -65, thresh_v: -50}\n");

    List<Double> decode = new ArrayList<>();
    List<Double> job = new ArrayList<>();
    List<Double> startup = new ArrayList<>();
    String done = null;
    for (int run = 0; run <= runs; run++) {
      String label = run == 0 ? "warm-up" : "run " + run;
      double decoded = decodeOnly(file, events);
      double small = wallSeconds(groups, tiny, work.resolve("out-tiny"));
      double whole = wallSeconds(groups, file, work.resolve("out"));
      done = doneLine(work.resolve("out.log"));
      System.out.printf(
          Locale.ROOT,
          "%s: decode-only %.1f M events/s; job %.2f s, one-chunk run %.2f s, net %.2f s: %.1f M"
              + " events/s; %s%n",
          label,
          decoded / 1e6,
          whole,
          small,
          whole - small,
          events / (whole - small) / 1e6,
          done);
      if (run > 0) {
        decode.add(decoded);
        job.add(events / (whole - small));
        startup.add(small);
      }
    }
    double formatting = formatSeconds(work.resolve("out").resolve("spikes"));
    double decodeRate = median(decode);
    double jobRate = median(job);
    System.out.printf(
        Locale.ROOT,
        "RESULT camera: %d events, job %.2f M events/s end to end (median of %d, start %.2f s"
            + " subtracted), decode-only %.1f M events/s, ratio %.2f; formatting the run's spike"
            + " records alone %.2f s (%.0f%% of the job's net time)%n",
        events,
        jobRate / 1e6,
        runs,
        median(startup),
        decodeRate / 1e6,
        jobRate / decodeRate,
        formatting,
        100 * formatting / (events / jobRate));
  }

  /** Decodes the whole file in 1 MiB chunks with a handler that sums every field. */
  static double decodeOnly(Path file, long events) throws IOException {
    long[] sums = new long[5];
    AddressEventHandler handler =
        new AddressEventHandler() {
          @Override
          public void event(long tUs, int x, int y, int polarity, long position) {
            sums[0] += tUs;
            sums[1] += x;
            sums[2] += y;
            sums[3] += polarity;
            sums[4]++;
          }

          @Override
          public void damaged(long position, String reason) {}
        };
    long start = System.nanoTime();
    AddressEventDecoder decoder = CameraFormat.EVT3.newDecoder(false);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    try (FileChannel in = FileChannel.open(file)) {
      while (in.read(chunk.clear()) >= 0) {
        decoder.decode(chunk.flip(), handler);
      }
    }
    decoder.finish(handler);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (sums[4] != events) {
      throw new IllegalStateException("decoded " + sums[4] + " events, not " + events);
    }
    return events / seconds;
  }

  /** Runs the job on a file as a user does, and returns its process's wall time. */
  static double wallSeconds(Path groups, Path input, Path output) throws Exception {
    deleteTree(output);
    Path log = Path.of(output + ".log");
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/spikestream-job.jar").toAbsolutePath().toString(),
                "--groups",
                groups.toString(),
                "--input",
                input.toString(),
                "--input-format",
                "evt3",
                "--input-group",
                "cam",
                "--output",
                output.toString(),
                "--checkpoint-interval-ms",
                "1000",
                "--quiet")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the job failed: " + Files.readString(log));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static String doneLine(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.get(lines.size() - 1);
  }

  /**
   * Formats the run's committed spike records again, into a buffer as the sink does, and returns
   * the time that took: the part of the job's work that JSON output is.
   */
  static double formatSeconds(Path spikes) throws IOException {
    List<SpikeRecord> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(spikes)) {
      for (Path part : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        for (String line : Files.readAllLines(part)) {
          records.add(parse(line));
        }
      }
    }
    LineBuffer line = new LineBuffer();
    long bytes = 0;
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      for (SpikeRecord record : records) {
        EventCodec.format(record, line);
        bytes += line.length();
      }
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    if (bytes == 0) {
      throw new IllegalStateException("no records formatted");
    }
    return best;
  }

  /** A spike line of this benchmark's group back as a record (no voltages in it). */
  static SpikeRecord parse(String line) {
    int step = line.indexOf("\"step\":") + 7;
    long stepValue = Long.parseLong(line.substring(step, line.indexOf(',', step)));
    int t = line.indexOf("\"t\":") + 4;
    double time = Double.parseDouble(line.substring(t, line.indexOf(',', t)));
    String list = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
    int[] spikes =
        list.isEmpty()
            ? new int[0]
            : Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    return new SpikeRecord("cam", stepValue, time, spikes, null);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(path);
      }
    }
  }
}
