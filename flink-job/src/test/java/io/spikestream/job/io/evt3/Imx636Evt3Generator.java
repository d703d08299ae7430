package io.spikestream.job.io.evt3;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes EVT 3.0 recordings with the statistics of a 1280x720 IMX636 (Gen4.1) sensor, for
 * benchmarks and load tests: about 10,000 events per ms on average, the rate drifting between about
 * a third and twice that; a few edges moving through the scene, each firing a band of neighbouring
 * rows per µs with about 3.7 events per row (rows stepping by ±1..3, as a sensor's row readout
 * does); 8% background noise; both polarities, about 53% ON.
 *
 * <p>Encoding as the sensor does it (measured on a public Gen4.1 EVK3 recording): a {@code
 * TIME_LOW} for each µs that has events, a {@code TIME_HIGH} before it whenever the time crosses a
 * 16 µs boundary (so mostly repeating the same value), an occasional {@code TIME_LOW} that steps
 * back a few µs; per row an {@code ADDR_Y}, then per 32-column group and polarity a single {@code
 * ADDR_X} when the group holds one event, else a {@code VECT_BASE_X} at the group's first column
 * followed by the {@code VECT_12}, {@code VECT_12}, {@code VECT_8} triplet. The time base starts
 * 1.5 s before its 24-bit wrap, so a recording of more than 15 million events wraps.
 *
 * <p>Run: {@code java ... Imx636Evt3Generator OUT.raw [EVENTS [SEED]]}; it also writes {@code
 * OUT.raw.expected} with the count and field sums a correct decoder must reproduce.
 */
public final class Imx636Evt3Generator {

  /** Sensor width in pixels. */
  public static final int WIDTH = 1280;

  /** Sensor height in pixels. */
  public static final int HEIGHT = 720;

  private static final int EDGES = 4;
  private static final int MAX_EVENTS_PER_US = 1024;

  /** Count and sums of the events written, for checking a decoder's output. */
  public record Summary(
      long events,
      long sumT,
      long sumX,
      long sumY,
      long sumP,
      long firstT,
      long lastT,
      long bytes) {
    /** The summary as one line of {@code key=value} pairs. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "events=%d sumT=%d sumX=%d sumY=%d sumP=%d firstT=%d lastT=%d bytes=%d",
          events,
          sumT,
          sumX,
          sumY,
          sumP,
          firstT,
          lastT,
          bytes);
    }
  }

  private final SplittableRandom random;
  private final double meanEventsPerUs;

  private final double[] edgeRow = new double[EDGES];
  private final double[] edgeSpeed = new double[EDGES];
  private final int[] edgeColumnStart = new int[EDGES];
  private final int[] edgeColumnSpan = new int[EDGES];
  private final int[] edgePolarity = new int[EDGES];

  // one µs of events, sorted into rows before encoding
  private final int[] eventX = new int[MAX_EVENTS_PER_US];
  private final int[] eventY = new int[MAX_EVENTS_PER_US];
  private final int[] eventP = new int[MAX_EVENTS_PER_US];
  private final long[] sortKey = new long[MAX_EVENTS_PER_US];

  private final byte[] out = new byte[1 << 20];
  private int outLength;
  private long bytesWritten;

  private long sumT;
  private long sumX;
  private long sumY;
  private long sumP;

  /**
   * Creates a generator.
   *
   * @param seed seed of the random scene
   * @param eventsPerMs mean event rate, events per ms; &gt; 0 and &le; 200,000
   */
  public Imx636Evt3Generator(long seed, double eventsPerMs) {
    if (!(eventsPerMs > 0 && eventsPerMs <= 200_000)) {
      throw new IllegalArgumentException(
          "'eventsPerMs' of " + eventsPerMs + " must be in (0, 200000]");
    }
    this.random = new SplittableRandom(seed);
    this.meanEventsPerUs = eventsPerMs / 1000.0;
    for (int e = 0; e < EDGES; e++) {
      newEdge(e);
    }
  }

  private void newEdge(int e) {
    edgeRow[e] = random.nextInt(HEIGHT);
    edgeSpeed[e] = (random.nextBoolean() ? 1 : -1) * (0.002 + random.nextDouble() * 0.02);
    edgeColumnSpan[e] = 100 + random.nextInt(900);
    edgeColumnStart[e] = random.nextInt(WIDTH - edgeColumnSpan[e]);
    edgePolarity[e] = random.nextInt(100) < 53 ? 1 : 0;
  }

  /**
   * Writes a recording of {@code eventCount} events, header first.
   *
   * @param sink where the bytes go
   * @param eventCount how many events to write; &ge; 0
   * @return count and sums of the events written
   * @throws IOException if the sink fails
   */
  public Summary write(OutputStream sink, long eventCount) throws IOException {
    if (eventCount < 0) {
      throw new IllegalArgumentException("'eventCount' of " + eventCount + " must be >= 0");
    }
    byte[] header =
        ("% camera_integrator_name Prophesee\n% evt 3.0\n"
                + "% format EVT3;height=720;width=1280\n% geometry 1280x720\n"
                + "% generator spikestream Imx636Evt3Generator\n% end\n")
            .getBytes(StandardCharsets.US_ASCII);
    sink.write(header);
    bytesWritten = header.length;
    long t = (1L << 24) - 1_500_000;
    long firstT = -1;
    long written = 0;
    long lastTimeHighSlot = -1;
    double rateDrift = 0;
    while (written < eventCount) {
      // the rate drifts slowly (over ms), so there are quiet and busy stretches
      rateDrift += (random.nextDouble() - 0.5) * 0.01;
      rateDrift = Math.max(-1.1, Math.min(0.7, rateDrift));
      double mean = meanEventsPerUs * Math.exp(rateDrift);
      int n = (int) Math.min(MAX_EVENTS_PER_US, Math.min(eventCount - written, poisson(mean)));
      moveEdges();
      if (n > 0) {
        n = fillMicrosecond(n);
        if (t >>> 4 != lastTimeHighSlot) {
          word(0x8000 | (int) ((t >>> 12) & 0xfff));
          lastTimeHighSlot = t >>> 4;
        }
        if (random.nextInt(800) == 0) {
          word(0x6000 | (int) ((t + 1 + random.nextInt(12)) & 0xfff));
        }
        word(0x6000 | (int) (t & 0xfff));
        encodeMicrosecond(n, t);
        if (firstT < 0) {
          firstT = t;
        }
        written += n;
        sumT += n * t;
        flushIfFull(sink);
      }
      t++;
    }
    sink.write(out, 0, outLength);
    bytesWritten += outLength;
    outLength = 0;
    sink.flush();
    return new Summary(written, sumT, sumX, sumY, sumP, firstT, t - 1, bytesWritten);
  }

  private int poisson(double mean) {
    if (mean > 30) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int k = 0;
    while (product > limit) {
      product *= random.nextDouble();
      k++;
    }
    return k;
  }

  private double gaussian() {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
        * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private void moveEdges() {
    for (int e = 0; e < EDGES; e++) {
      edgeRow[e] += edgeSpeed[e];
      if (edgeRow[e] < 0 || edgeRow[e] >= HEIGHT || random.nextInt(400_000) == 0) {
        newEdge(e);
      }
    }
  }

  /** Picks the pixels of one µs; returns how many distinct (x, y, p) were picked. */
  private int fillMicrosecond(int n) {
    int count = 0;
    int edge = random.nextInt(EDGES);
    int row = (int) edgeRow[edge];
    while (count < n) {
      if (random.nextInt(100) < 8) {
        add(count++, random.nextInt(WIDTH), random.nextInt(HEIGHT), random.nextInt(2));
        continue;
      }
      if (random.nextInt(6) == 0) {
        edge = random.nextInt(EDGES);
        row = (int) edgeRow[edge];
      }
      // a row's readout: 1..8 events spread over the edge's columns, sometimes a tight cluster
      int perRow = 1 + Math.min(7, (int) Math.abs(gaussian() * 3.5));
      int x = edgeColumnStart[edge] + random.nextInt(edgeColumnSpan[edge]);
      for (int k = 0; k < perRow && count < n; k++) {
        int polarity = random.nextInt(100) < 85 ? edgePolarity[edge] : 1 - edgePolarity[edge];
        add(count++, x, row, polarity);
        x += random.nextInt(10) < 2 ? 1 + random.nextInt(3) : 20 + random.nextInt(40);
        if (x >= WIDTH) {
          break;
        }
      }
      int step = 1 + (int) Math.abs(gaussian() * 1.5);
      row += random.nextBoolean() ? step : -step;
      row = Math.max(0, Math.min(HEIGHT - 1, row));
    }
    return dedupeAndSort(count);
  }

  private void add(int index, int x, int y, int p) {
    eventX[index] = x;
    eventY[index] = y;
    eventP[index] = p;
  }

  /** Sorts one µs by (row, column group, polarity, column) and drops repeated pixels. */
  private int dedupeAndSort(int count) {
    for (int i = 0; i < count; i++) {
      sortKey[i] =
          ((long) eventY[i] << 24)
              | ((long) (eventX[i] >>> 5) << 13)
              | ((long) eventP[i] << 12)
              | eventX[i];
    }
    Arrays.sort(sortKey, 0, count);
    int distinct = 0;
    for (int i = 0; i < count; i++) {
      if (i > 0 && sortKey[i] == sortKey[i - 1]) {
        continue;
      }
      long key = sortKey[i];
      eventY[distinct] = (int) (key >>> 24);
      eventP[distinct] = (int) ((key >>> 12) & 1);
      eventX[distinct] = (int) (key & 0xfff);
      distinct++;
    }
    return distinct;
  }

  private void encodeMicrosecond(int count, long t) {
    int i = 0;
    while (i < count) {
      int y = eventY[i];
      word(y);
      while (i < count && eventY[i] == y) {
        int group = eventX[i] >>> 5;
        int polarity = eventP[i];
        int groupEnd = i;
        int mask = 0;
        while (groupEnd < count
            && eventY[groupEnd] == y
            && eventX[groupEnd] >>> 5 == group
            && eventP[groupEnd] == polarity) {
          mask |= 1 << (eventX[groupEnd] & 31);
          groupEnd++;
        }
        if (groupEnd - i == 1) {
          word(0x2000 | (polarity << 11) | eventX[i]);
        } else {
          word(0x3000 | (polarity << 11) | (group << 5));
          word(0x4000 | (mask & 0xfff));
          word(0x4000 | ((mask >>> 12) & 0xfff));
          word(0x5000 | ((mask >>> 24) & 0xff));
        }
        for (int k = i; k < groupEnd; k++) {
          sumX += eventX[k];
          sumY += y;
          sumP += polarity;
        }
        i = groupEnd;
      }
    }
  }

  private void word(int word) {
    out[outLength++] = (byte) word;
    out[outLength++] = (byte) (word >>> 8);
  }

  private void flushIfFull(OutputStream sink) throws IOException {
    if (outLength > out.length - 16 * MAX_EVENTS_PER_US) {
      sink.write(out, 0, outLength);
      bytesWritten += outLength;
      outLength = 0;
    }
  }

  /**
   * Writes a recording: {@code OUT.raw [EVENTS [SEED [EVENTS_PER_MS]]]}, defaults 50,000,000
   * events, seed 1, 10,000 events per ms; prints and writes {@code OUT.raw.expected}.
   *
   * @param args output path, then optional event count, seed and rate
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Imx636Evt3Generator OUT.raw [EVENTS [SEED [EVENTS_PER_MS]]]");
      System.exit(2);
    }
    Path path = Path.of(args[0]);
    long events = args.length > 1 ? Long.parseLong(args[1]) : 50_000_000L;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1L;
    double rate = args.length > 3 ? Double.parseDouble(args[3]) : 10_000;
    long start = System.nanoTime();
    Summary summary;
    try (OutputStream sink = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      summary = new Imx636Evt3Generator(seed, rate).write(sink, events);
    }
    Files.writeString(Path.of(args[0] + ".expected"), summary.line() + "\n");
    System.out.printf(
        Locale.ROOT,
        "wrote %s: %s (%.2f bytes per event, %.3f s of sensor time) in %.1f s%n",
        path,
        summary.line(),
        (double) summary.bytes() / Math.max(1, summary.events()),
        (summary.lastT() - summary.firstT()) / 1e6,
        (System.nanoTime() - start) / 1e9);
  }
}
