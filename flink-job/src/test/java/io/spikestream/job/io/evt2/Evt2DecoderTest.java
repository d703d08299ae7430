package io.spikestream.job.io.evt2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.io.camera.Decoding;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.HostileInput;
import io.spikestream.job.io.camera.RecordedEvents;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Evt2DecoderTest {

  /** Test encoder written from Prophesee's EVT 2.0 description: 32-bit little-endian words. */
  static final class Evt2Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Evt2Writer header(String... lines) {
      for (String line : lines) {
        bytes.writeBytes(("% " + line + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return this;
    }

    Evt2Writer word(long word) {
      for (int b = 0; b < 4; b++) {
        bytes.write((int) (word >>> (8 * b)) & 0xff);
      }
      return this;
    }

    Evt2Writer timeHigh(long t) {
      return word(0x8000_0000L | ((t >>> 6) & 0x0fff_ffff));
    }

    Evt2Writer cd(long t, int x, int y, int polarity) {
      return word(((long) polarity << 28) | ((t & 0x3f) << 22) | ((long) x << 11) | y);
    }

    Evt2Writer trigger(long t, int id, int value) {
      return word(0xA000_0000L | ((t & 0x3f) << 22) | ((long) id << 8) | value);
    }

    byte[] toBytes() {
      return bytes.toByteArray();
    }

    /**
     * Writes sorted events, a time high whenever bits 33..6 change; returns the order to expect.
     */
    List<Event> encode(List<Event> events, Random random) {
      List<Event> sorted = new ArrayList<>(events);
      sorted.sort(Comparator.comparingLong(Event::t));
      long high = Long.MIN_VALUE;
      for (Event e : sorted) {
        while (high != Long.MIN_VALUE && (e.t() >>> 6) - high > (1L << 26)) {
          high += 1L << 26;
          timeHigh(high << 6);
        }
        if ((e.t() >>> 6) != high || random.nextInt(50) == 0) {
          high = e.t() >>> 6;
          timeHigh(e.t());
        }
        cd(e.t(), e.x(), e.y(), e.p());
        switch (random.nextInt(40)) {
          case 0 -> trigger(e.t(), random.nextInt(32), random.nextInt(2));
          case 1 -> word(0xE000_0000L | random.nextInt(1 << 16)).word(0xF000_0000L | 12345);
          default -> {}
        }
      }
      return sorted;
    }
  }

  private static RecordedEvents decodeRecord(byte[] bytes) {
    return Decoding.whole(new Evt2Decoder(true), bytes);
  }

  @Test
  void shouldDecodeCdWordsOnTheTimeHigh() {
    long t = (0x0abc_defL << 6) | 0x2a;
    byte[] bytes =
        new Evt2Writer()
            .header("evt 2.0")
            .timeHigh(t)
            .cd(t, 639, 479, 1)
            .cd(t + 1, 0, 0, 0)
            .toBytes();
    RecordedEvents got = Decoding.whole(new Evt2Decoder(false), bytes);
    assertThat(got.events()).containsExactly(new Event(t, 639, 479, 1), new Event(t + 1, 0, 0, 0));
    assertThat(got.positions()).containsExactly(14L, 18L);
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldCountRolloversOfTheThirtyFourBitTime() {
    Evt2Writer writer = new Evt2Writer();
    List<Event> expected = new ArrayList<>();
    for (int wrap = 0; wrap < 3; wrap++) {
      for (long t : new long[] {5, 1L << 32, (1L << 34) - 1}) {
        writer.timeHigh(t).cd(t, wrap, 1, 1);
        expected.add(new Event(wrap * Evt2Decoder.TIME_PERIOD_US + t, wrap, 1, 1));
      }
    }
    assertThat(decodeRecord(writer.toBytes()).events()).isEqualTo(expected);
  }

  @Test
  void shouldSkipTriggersOthersContinuedAndImuWords() {
    byte[] bytes =
        new Evt2Writer()
            .timeHigh(64)
            .trigger(65, 3, 1)
            .word(0xE000_0014L)
            .word(0xF000_0003L)
            .word(0xD000_0000L)
            .cd(66, 1, 2, 0)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).containsExactly(new Event(66, 1, 2, 0));
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldReportEventsBeforeTheFirstTimeHighReservedWordsAndAPartialWord() {
    byte[] words =
        new Evt2Writer()
            .cd(1, 1, 1, 1)
            .cd(2, 1, 1, 1)
            .timeHigh(128)
            .cd(129, 3, 4, 1)
            .word(0x3000_0000L)
            .word(0xB000_0000L)
            .cd(130, 5, 6, 0)
            .toBytes();
    byte[] bytes = java.util.Arrays.copyOf(words, words.length + 2);
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).containsExactly(new Event(129, 3, 4, 1), new Event(130, 5, 6, 0));
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(0, "CD event before the first EVT_TIME_HIGH [8 bytes]"),
            new RecordedEvents.Damage(16, "reserved word type 0x3 [8 bytes]"),
            new RecordedEvents.Damage(28, "the stream ends inside a 32-bit word [2 bytes]"));
  }

  @Test
  void shouldReportATimeHighSteppingBackAndCoordinatesOutsideTheGeometry() {
    byte[] bytes =
        new Evt2Writer()
            .header("geometry 640x480")
            .timeHigh(6400)
            .cd(6400, 640, 1, 1)
            .cd(6400, 1, 480, 1)
            .timeHigh(640)
            .cd(641, 639, 479, 1)
            .toBytes();
    RecordedEvents got = Decoding.whole(new Evt2Decoder(false), bytes);
    assertThat(got.events()).containsExactly(new Event(641, 639, 479, 1));
    int data = "% geometry 640x480\n".length();
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                data + 4, "CD event at x 640 outside the header's width 640 [12 bytes]"));
  }

  @Test
  void shouldRejectAnEvt3HeaderWithAOneLineMessage() throws FormatException {
    Evt2Decoder.checkHeader("% evt 2.0\n".getBytes(StandardCharsets.US_ASCII), 10, "g.raw");
    byte[] evt3 = "% evt 3.0\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Evt2Decoder.checkHeader(evt3, evt3.length, "g.raw"))
        .isInstanceOf(FormatException.class)
        .hasMessage("g.raw: not an EVT 2.0 file: its header says evt 3.0");
  }

  static List<Event> randomEvents(Random random, int count, long spanUs) {
    List<Event> events = new ArrayList<>();
    long t = random.nextLong(1L << 33);
    for (int i = 0; i < count; i++) {
      t += (long) (random.nextDouble() * 2 * spanUs / count);
      events.add(new Event(t, random.nextInt(2048), random.nextInt(2048), random.nextInt(2)));
    }
    return events;
  }

  @Test
  void shouldRoundTripRandomStreamsWhateverTheSplits() {
    for (long seed = 1; seed <= 10; seed++) {
      System.out.println("EVT 2.0 round trip, seed " + seed);
      Random random = new Random(seed);
      Evt2Writer writer = new Evt2Writer().header("evt 2.0");
      long span = seed % 2 == 0 ? 3 * Evt2Decoder.TIME_PERIOD_US : 1_000_000L;
      List<Event> expected = writer.encode(randomEvents(random, 3000, span), random);
      byte[] bytes = writer.toBytes();
      RecordedEvents whole = Decoding.whole(new Evt2Decoder(false), bytes);
      assertThat(whole.events()).isEqualTo(expected);
      assertThat(whole.damages()).isEmpty();
      assertThat(Decoding.randomSplits(new Evt2Decoder(false), bytes, seed, 300).events())
          .isEqualTo(expected);
    }
  }

  @Test
  void shouldSurviveTruncationGarbageAndFlippedBytes() {
    Random random = new Random(3);
    Evt2Writer writer = new Evt2Writer().header("evt 2.0");
    writer.encode(randomEvents(random, 60, 1_000_000), random);
    byte[] bytes = writer.toBytes();
    HostileInput.truncatedAtEveryByte(() -> new Evt2Decoder(false), bytes);
    HostileInput.randomGarbage(() -> new Evt2Decoder(false), 21);
    HostileInput.flippedBytes(() -> new Evt2Decoder(false), bytes, 22);
    Decoding.everyCut(
        () -> new Evt2Decoder(false), bytes, got -> assertThat(got.events()).hasSize(60));
  }
}
