package io.spikestream.job.io.camera;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decode-only benchmark: decodes a file held in memory through {@link AddressEventDecoder}, with a
 * handler that only sums the event fields (so nothing is optimised away), and prints events/s and
 * MB/s per run. No Flink, no I/O in the timed loop.
 *
 * <p>Run: {@code DecodeBenchmark FILE [--format evt3] [--runs 7] [--chunk-bytes 1048576]
 * [--direct]}; the format defaults to the file's extension, a {@code .raw} file's header telling
 * EVT 2.0 from EVT 3.0. The first two runs warm the JIT and are reported but left out of the best
 * and median. If {@code FILE.expected} exists (written by {@code Imx636Evt3Generator}), the sums
 * are checked against it.
 */
public final class DecodeBenchmark {

  /** Sums what it is told; the sums are printed so the JIT cannot drop the decoding. */
  static final class SummingHandler implements AddressEventHandler {
    long events;
    long sumT;
    long sumX;
    long sumY;
    long sumP;
    long damages;
    String firstDamage;

    @Override
    public void event(long tUs, int x, int y, int polarity, long position) {
      events++;
      sumT += tUs;
      sumX += x;
      sumY += y;
      sumP += polarity;
    }

    @Override
    public void damaged(long position, String reason) {
      if (damages++ == 0) {
        firstDamage = position + ": " + reason;
      }
    }
  }

  private DecodeBenchmark() {}

  /** EVT 2.0 or EVT 3.0, as a {@code .raw} file's header says; EVT 3.0 if it says neither. */
  private static CameraFormat rawFormat(Path path) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(path)) {
      head = in.readNBytes(CameraFormat.HEADER_CHECK_BYTES);
    }
    PropheseeHeader header = PropheseeHeader.parse(head, head.length, true);
    String claim = header == null ? null : header.encodingClaim();
    return claim != null && (claim.equals("evt 2.0") || claim.equalsIgnoreCase("format EVT2"))
        ? CameraFormat.EVT2
        : CameraFormat.EVT3;
  }

  /**
   * Runs the benchmark.
   *
   * @param args the file, then options
   * @throws IOException if the file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println(
          "usage: DecodeBenchmark FILE [--format evt3] [--runs 7] [--chunk-bytes 1048576] [--direct]");
      System.exit(2);
    }
    Path path = Path.of(args[0]);
    String name = path.getFileName().toString();
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    CameraFormat format = extension.equals("raw") ? rawFormat(path) : CameraFormat.of(extension);
    int runs = 7;
    int chunkBytes = 1 << 20;
    boolean direct = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--format" -> format = CameraFormat.of(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--chunk-bytes" -> chunkBytes = Integer.parseInt(args[++i]);
        case "--direct" -> direct = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    byte[] file = Files.readAllBytes(path);
    ByteBuffer directCopy = null;
    if (direct) {
      directCopy = ByteBuffer.allocateDirect(file.length);
      directCopy.put(file).flip();
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %s, %.1f MB, %s buffers of %d bytes, %d runs; java %s, %d cores%n",
        path,
        format.displayName(),
        file.length / 1e6,
        direct ? "direct" : "heap",
        chunkBytes,
        runs,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    double[] eventsPerSecond = new double[runs];
    double[] megabytesPerSecond = new double[runs];
    SummingHandler last = null;
    for (int run = 0; run < runs; run++) {
      SummingHandler handler = new SummingHandler();
      AddressEventDecoder decoder = format.newDecoder(false);
      long start = System.nanoTime();
      for (int offset = 0; offset < file.length; offset += chunkBytes) {
        int n = Math.min(chunkBytes, file.length - offset);
        ByteBuffer chunk;
        if (directCopy != null) {
          chunk = directCopy.duplicate();
          chunk.position(offset).limit(offset + n);
        } else {
          chunk = ByteBuffer.wrap(file, offset, n);
        }
        decoder.decode(chunk, handler);
      }
      decoder.finish(handler);
      double seconds = (System.nanoTime() - start) / 1e9;
      eventsPerSecond[run] = handler.events / seconds;
      megabytesPerSecond[run] = file.length / 1e6 / seconds;
      System.out.printf(
          Locale.ROOT,
          "run %d%s: %d events in %.3f s = %.1f M events/s, %.0f MB/s (sums t %d x %d y %d p %d; %d"
              + " damage reports)%n",
          run + 1,
          run < 2 ? " (warm-up)" : "",
          handler.events,
          seconds,
          eventsPerSecond[run] / 1e6,
          megabytesPerSecond[run],
          handler.sumT,
          handler.sumX,
          handler.sumY,
          handler.sumP,
          handler.damages);
      last = handler;
    }
    if (last.firstDamage != null) {
      System.out.println("first damage: " + last.firstDamage);
    }
    int from = Math.min(2, runs - 1);
    double[] measured = Arrays.copyOfRange(eventsPerSecond, from, runs);
    double[] measuredMb = Arrays.copyOfRange(megabytesPerSecond, from, runs);
    Arrays.sort(measured);
    Arrays.sort(measuredMb);
    System.out.printf(
        Locale.ROOT,
        "decode only, %s: best %.1f M events/s (%.0f MB/s), median %.1f M events/s (%.0f MB/s)%n",
        format.displayName(),
        measured[measured.length - 1] / 1e6,
        measuredMb[measuredMb.length - 1],
        measured[measured.length / 2] / 1e6,
        measuredMb[measuredMb.length / 2]);
    Path expected = Path.of(args[0] + ".expected");
    if (Files.exists(expected)) {
      String want = Files.readString(expected).strip();
      String got =
          String.format(
              Locale.ROOT,
              "events=%d sumT=%d sumX=%d sumY=%d sumP=%d",
              last.events,
              last.sumT,
              last.sumX,
              last.sumY,
              last.sumP);
      boolean same = want.startsWith(got + " ");
      System.out.println(
          (same ? "matches " : "DOES NOT MATCH ")
              + expected
              + (same ? "" : ": " + want + " vs " + got));
      if (!same) {
        System.exit(1);
      }
    }
  }
}
