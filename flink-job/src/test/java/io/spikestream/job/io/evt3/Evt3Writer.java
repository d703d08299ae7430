package io.spikestream.job.io.evt3;

import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Test encoder of EVT 3.0, written from Prophesee's format description (16-bit little-endian words,
 * type in bits 15..12), not from the decoder. Low-level methods write one word each; {@link
 * #encode} writes a whole event list the way a sensor would and remembers the events in the order a
 * decoder must report them.
 */
final class Evt3Writer {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  Evt3Writer header(String... lines) {
    for (String line : lines) {
      bytes.writeBytes(("% " + line + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return this;
  }

  Evt3Writer word(int word) {
    bytes.write(word & 0xff);
    bytes.write((word >>> 8) & 0xff);
    return this;
  }

  Evt3Writer addrY(int y) {
    return word(y & 0x7ff);
  }

  Evt3Writer addrX(int x, int polarity) {
    return word(0x2000 | (polarity << 11) | (x & 0x7ff));
  }

  Evt3Writer vectBaseX(int x, int polarity) {
    return word(0x3000 | (polarity << 11) | (x & 0x7ff));
  }

  Evt3Writer vect12(int mask) {
    return word(0x4000 | (mask & 0xfff));
  }

  Evt3Writer vect8(int mask) {
    return word(0x5000 | (mask & 0xff));
  }

  Evt3Writer timeLow(int low) {
    return word(0x6000 | (low & 0xfff));
  }

  Evt3Writer continued4(int value) {
    return word(0x7000 | (value & 0xf));
  }

  Evt3Writer timeHigh(int high) {
    return word(0x8000 | (high & 0xfff));
  }

  Evt3Writer extTrigger(int edge, int channel) {
    return word(0xA000 | (channel & 0xf) << 8 | (edge & 1));
  }

  Evt3Writer others(int subtype) {
    return word(0xE000 | (subtype & 0xfff));
  }

  Evt3Writer continued12(int value) {
    return word(0xF000 | (value & 0xfff));
  }

  int size() {
    return bytes.size();
  }

  byte[] toBytes() {
    return bytes.toByteArray();
  }

  /**
   * Writes {@code events} (any order; written sorted by time, then row, polarity and column) as a
   * sensor would: TIME_HIGH whenever the high 12 bits change and again every 16 µs, TIME_LOW when
   * the time changes, ADDR_Y when the row changes, then each row's columns of one polarity either
   * as single ADDR_X words or as VECT_BASE_X followed by VECT_12 / VECT_8 words, chosen at random.
   * Monitoring, trigger and continued words are sprinkled in. Steps of the time base never exceed
   * 2000 × 4096 µs, writing intermediate TIME_HIGH words over long gaps, so wraps stay detectable.
   *
   * @param width columns, for keeping vectors inside the sensor
   * @return the events in the order a decoder must report them
   */
  List<Event> encode(List<Event> events, int width, Random random) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparingLong(Event::t)
            .thenComparingInt(Event::y)
            .thenComparingInt(Event::p)
            .thenComparingInt(Event::x));
    List<Event> expected = new ArrayList<>();
    long lastHighAbsolute = Long.MIN_VALUE;
    long lastTime = Long.MIN_VALUE;
    int i = 0;
    while (i < sorted.size()) {
      long t = sorted.get(i).t();
      long highAbsolute = t >>> 12;
      if (lastHighAbsolute != Long.MIN_VALUE) {
        while (highAbsolute - lastHighAbsolute > 2000) {
          lastHighAbsolute += 2000;
          timeHigh((int) lastHighAbsolute);
        }
      }
      if (highAbsolute != lastHighAbsolute || (t >>> 4) != (lastTime >>> 4)) {
        timeHigh((int) highAbsolute);
        lastHighAbsolute = highAbsolute;
      }
      if (t != lastTime) {
        if (random.nextInt(20) == 0) {
          // a TIME_LOW that goes back, as real sensors emit, immediately corrected
          timeLow((int) (t + 1 + random.nextInt(20)));
        }
        timeLow((int) t);
        lastTime = t;
      }
      int rowEnd = i;
      while (rowEnd < sorted.size()
          && sorted.get(rowEnd).t() == t
          && sorted.get(rowEnd).y() == sorted.get(i).y()) {
        rowEnd++;
      }
      addrY(sorted.get(i).y());
      int run = i;
      while (run < rowEnd) {
        int polarity = sorted.get(run).p();
        int runEnd = run;
        while (runEnd < rowEnd && sorted.get(runEnd).p() == polarity) {
          runEnd++;
        }
        writeRun(sorted.subList(run, runEnd), width, random, expected);
        run = runEnd;
      }
      sprinkle(random);
      i = rowEnd;
    }
    return expected;
  }

  private void writeRun(List<Event> run, int width, Random random, List<Event> expected) {
    int k = 0;
    while (k < run.size()) {
      Event first = run.get(k);
      if (random.nextInt(3) == 0 || first.x() + 12 > width) {
        addrX(first.x(), first.p());
        expected.add(first);
        k++;
        continue;
      }
      int base = first.x();
      vectBaseX(base, first.p());
      int covered = base;
      while (k < run.size()) {
        int size = random.nextBoolean() ? 12 : 8;
        if (covered + size > width) {
          break;
        }
        int mask = 0;
        while (k < run.size() && run.get(k).x() < covered + size) {
          mask |= 1 << (run.get(k).x() - covered);
          expected.add(run.get(k));
          k++;
        }
        if (size == 12) {
          vect12(mask);
        } else {
          vect8(mask);
        }
        covered += size;
        if (k < run.size() && run.get(k).x() >= covered + 12 && random.nextBoolean()) {
          break;
        }
      }
    }
  }

  private void sprinkle(Random random) {
    switch (random.nextInt(30)) {
      case 0 -> extTrigger(random.nextInt(2), random.nextInt(16));
      case 1 -> {
        others(0x014);
        continued12(random.nextInt(4096));
        continued12(random.nextInt(4096));
        continued4(random.nextInt(16));
      }
      case 2 -> others(0x0FF);
      case 3 -> word(0xD000 | random.nextInt(4096));
      default -> {}
    }
  }
}
