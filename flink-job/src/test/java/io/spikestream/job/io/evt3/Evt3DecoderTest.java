package io.spikestream.job.io.evt3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.io.camera.Decoding;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.HostileInput;
import io.spikestream.job.io.camera.RecordedEvents;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Evt3DecoderTest {

  private static RecordedEvents decodeFile(byte[] bytes) {
    return Decoding.whole(new Evt3Decoder(false), bytes);
  }

  private static RecordedEvents decodeRecord(byte[] bytes) {
    return Decoding.whole(new Evt3Decoder(true), bytes);
  }

  @Test
  void shouldDecodeSingleEventsAtTheTimeBase() {
    byte[] bytes =
        new Evt3Writer()
            .header("evt 3.0")
            .timeHigh(0x123)
            .timeLow(0x456)
            .addrY(17)
            .addrX(5, 1)
            .addrX(6, 0)
            .timeLow(0x457)
            .addrX(7, 1)
            .toBytes();
    RecordedEvents got = decodeFile(bytes);
    assertThat(got.events())
        .containsExactly(
            new Event(0x123456, 5, 17, 1),
            new Event(0x123456, 6, 17, 0),
            new Event(0x123457, 7, 17, 1));
    int data = "% evt 3.0\n".length();
    assertThat(got.positions()).containsExactly(data + 6L, data + 8L, data + 12L);
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldDecodeVectorsOfBothWidthsFromTheBaseColumn() {
    byte[] bytes =
        new Evt3Writer()
            .timeHigh(1)
            .timeLow(2)
            .addrY(300)
            .vectBaseX(100, 0)
            .vect12(0b1000_0000_0101)
            .vect8(0b1000_0001)
            .vect12(0)
            .vect8(0b0000_0010)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    long t = (1 << 12) | 2;
    assertThat(got.events())
        .containsExactly(
            new Event(t, 100, 300, 0),
            new Event(t, 102, 300, 0),
            new Event(t, 111, 300, 0),
            new Event(t, 112, 300, 0),
            new Event(t, 119, 300, 0),
            new Event(t, 133, 300, 0));
    assertThat(got.positions()).containsExactly(8L, 8L, 8L, 10L, 10L, 14L);
  }

  @Test
  void shouldDecodeTheSensorsTwelveTwelveEightTripletAsThirtyTwoColumns() {
    byte[] bytes =
        new Evt3Writer()
            .timeHigh(0)
            .timeLow(0)
            .addrY(0)
            .vectBaseX(1248, 1)
            .vect12(0xfff)
            .vect12(0xfff)
            .vect8(0xff)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).hasSize(32);
    for (int k = 0; k < 32; k++) {
      assertThat(got.events().get(k)).isEqualTo(new Event(0, 1248 + k, 0, 1));
    }
  }

  @Test
  void shouldDecodeAYFollowedByManyXs() {
    Evt3Writer writer = new Evt3Writer().timeHigh(7).timeLow(9).addrY(719);
    List<Event> expected = new ArrayList<>();
    for (int x = 0; x < 1280; x += 3) {
      writer.addrX(x, x & 1);
      expected.add(new Event((7 << 12) | 9, x, 719, x & 1));
    }
    assertThat(decodeRecord(writer.toBytes()).events()).isEqualTo(expected);
  }

  @Test
  void shouldCountEveryWrapOfTheTwentyFourBitTimeBase() {
    Evt3Writer writer = new Evt3Writer().addrY(1);
    List<Event> expected = new ArrayList<>();
    for (int wrap = 0; wrap < 3; wrap++) {
      for (int high : new int[] {0, 1500, 3000, 4095}) {
        writer.timeHigh(high).timeLow(4000).addrX(wrap, 1);
        expected.add(
            new Event(wrap * Evt3Decoder.TIME_BASE_PERIOD_US + (high << 12) + 4000, wrap, 1, 1));
      }
    }
    RecordedEvents got = decodeRecord(writer.toBytes());
    assertThat(got.events()).isEqualTo(expected);
    assertThat(got.events().get(got.events().size() - 1).t())
        .isEqualTo(2 * (1L << 24) + (4095 << 12) + 4000);
  }

  @Test
  void shouldNotTakeATimeLowThatGoesBackForAWrap() {
    // as a Gen4.1 sensor emits: TIME_LOW 811 then 800 under the same TIME_HIGH
    byte[] bytes =
        new Evt3Writer()
            .timeHigh(2861)
            .timeLow(799)
            .addrY(3)
            .addrX(1, 1)
            .timeHigh(2861)
            .timeLow(811)
            .timeLow(800)
            .addrX(2, 0)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events())
        .containsExactly(
            new Event((2861L << 12) | 799, 1, 3, 1), new Event((2861L << 12) | 800, 2, 3, 0));
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldResetTheLowBitsWhenTheTimeHighChanges() {
    byte[] bytes =
        new Evt3Writer().timeHigh(5).timeLow(4095).addrY(0).timeHigh(6).addrX(0, 1).toBytes();
    assertThat(decodeRecord(bytes).events()).containsExactly(new Event(6 << 12, 0, 0, 1));
  }

  @Test
  void shouldReportATimeHighSteppingBackWithoutAWrapAndFollowIt() {
    byte[] bytes =
        new Evt3Writer().timeHigh(1000).addrY(0).addrX(1, 1).timeHigh(990).addrX(2, 1).toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events())
        .containsExactly(new Event(1000 << 12, 1, 0, 1), new Event(990 << 12, 2, 0, 1));
    assertThat(got.damages()).hasSize(1);
    assertThat(got.damages().get(0).position()).isEqualTo(6);
    assertThat(got.damages().get(0).reason())
        .isEqualTo(
            "TIME_HIGH went back from 1000 to 990 (a wrap steps back by at least 2048); followed [2 bytes]");
  }

  @Test
  void shouldSkipTriggerMonitoringImuAndContinuedWords() {
    byte[] bytes =
        new Evt3Writer()
            .timeHigh(1)
            .addrY(2)
            .extTrigger(1, 3)
            .others(0x016)
            .continued12(0xabc)
            .continued12(0x123)
            .continued4(0x7)
            .word(0xD123)
            .addrX(4, 0)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).containsExactly(new Event(1 << 12, 4, 2, 0));
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldReportEventsBeforeTheFirstTimeHighAsRunsAndKeepWhatFollows() {
    byte[] bytes =
        new Evt3Writer()
            .addrY(2)
            .addrX(1, 1)
            .vectBaseX(8, 1)
            .vect12(0xfff)
            .addrX(3, 1)
            .timeHigh(9)
            .addrX(4, 1)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).containsExactly(new Event(9 << 12, 4, 2, 1));
    assertThat(got.damages())
        .containsExactly(
            // the valid VECT_BASE_X word between them ends the first run
            new RecordedEvents.Damage(2, "ADDR_X before the first TIME_HIGH [2 bytes]"),
            new RecordedEvents.Damage(6, "vector word before the first TIME_HIGH [4 bytes]"));
  }

  @Test
  void shouldReportAnXBeforeAnyY() {
    byte[] bytes = new Evt3Writer().timeHigh(1).addrX(1, 1).addrY(5).addrX(2, 1).toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).containsExactly(new Event(1 << 12, 2, 5, 1));
    assertThat(got.damages())
        .containsExactly(new RecordedEvents.Damage(2, "ADDR_X before any ADDR_Y [2 bytes]"));
  }

  @Test
  void shouldReportReservedWordsAsOneRunAndForgetTheRow() {
    byte[] bytes =
        new Evt3Writer()
            .timeHigh(1)
            .addrY(5)
            .word(0x9000)
            .word(0xB123)
            .word(0xC000)
            .addrX(1, 1)
            .addrY(6)
            .addrX(2, 1)
            .toBytes();
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).containsExactly(new Event(1 << 12, 2, 6, 1));
    assertThat(got.damages())
        .containsExactly(new RecordedEvents.Damage(4, "reserved word type 0x9 [8 bytes]"));
  }

  @Test
  void shouldCheckAddressesAgainstTheHeadersGeometry() {
    byte[] bytes =
        new Evt3Writer()
            .header("format EVT3;height=720;width=1280", "end")
            .timeHigh(1)
            .addrY(720)
            .addrX(3, 1)
            .addrY(719)
            .addrX(1280, 1)
            .addrX(1279, 1)
            .vectBaseX(1272, 0)
            .vect12(0b1000_1000_0001)
            .toBytes();
    RecordedEvents got = decodeFile(bytes);
    int data = "% format EVT3;height=720;width=1280\n% end\n".length();
    assertThat(got.events())
        .containsExactly(
            new Event(1 << 12, 1279, 719, 1),
            new Event(1 << 12, 1272, 719, 0),
            new Event(1 << 12, 1279, 719, 0));
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                data + 2, "ADDR_Y of row 720 outside the header's height 720 [4 bytes]"),
            new RecordedEvents.Damage(
                data + 8, "ADDR_X at x 1280 outside the header's width 1280 [2 bytes]"),
            new RecordedEvents.Damage(
                data + 14, "vector event at x 1283 outside the header's width 1280 [2 bytes]"));
  }

  @Test
  void shouldReportHeaderLinesPastTheLimitAndReadTheRestAsData() {
    String[] lines = new String[2000];
    java.util.Arrays.fill(lines, "note " + "x".repeat(40));
    byte[] bytes = new Evt3Writer().header(lines).timeHigh(1).addrY(1).addrX(1, 1).toBytes();
    RecordedEvents got = decodeFile(bytes);
    assertThat(got.damages().get(0))
        .isEqualTo(
            new RecordedEvents.Damage(
                0, "% header lines run past 65536 bytes; the rest is read as data [65536 bytes]"));
  }

  @Test
  void shouldStartTheDataAfterAnEndLineEvenWhenItsFirstByteIsAPercentSign() {
    // ADDR_Y of row 0x25 is the bytes 0x25 0x00: '%' followed by NUL
    byte[] bytes =
        new Evt3Writer().header("evt 3.0", "end").addrY(0x25).timeHigh(2).addrX(1, 1).toBytes();
    RecordedEvents got = decodeFile(bytes);
    assertThat(got.events()).containsExactly(new Event(2 << 12, 1, 0x25, 1));
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldDecodeARecordValueWithoutHeaderEvenIfItStartsWithAPercentByte() {
    byte[] bytes = new Evt3Writer().addrY(0x25).timeHigh(2).addrX(1, 1).toBytes();
    assertThat(decodeRecord(bytes).events()).containsExactly(new Event(2 << 12, 1, 0x25, 1));
  }

  @Test
  void shouldReportATrailingOddByte() {
    byte[] words = new Evt3Writer().timeHigh(1).addrY(1).addrX(1, 1).toBytes();
    byte[] bytes = java.util.Arrays.copyOf(words, words.length + 1);
    RecordedEvents got = decodeRecord(bytes);
    assertThat(got.events()).hasSize(1);
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(6, "the stream ends inside a 16-bit word [1 byte]"));
  }

  @Test
  void shouldAcceptEvt3HeadersAndRejectOthersWithAOneLineMessage() throws FormatException {
    Evt3Decoder.checkHeader(ascii("% evt 3.0\n% end\n"), 16, "a.raw");
    Evt3Decoder.checkHeader(ascii("% format EVT3;height=720;width=1280\n"), 36, "a.raw");
    assertThatThrownBy(
            () -> Evt3Decoder.checkHeader(new byte[] {0x00, (byte) 0x80}, 2, "headerless.raw"))
        .hasMessage(
            "headerless.raw: not an EVT 3.0 file: it has no '%' header lines (a RAW recording"
                + " starts with lines such as '% evt 3.0')");
    assertRejected(
        "{\"group\":\"cam\"}\n",
        "a.raw: not an EVT 3.0 file: it has no '%' header lines (a RAW recording starts with"
            + " lines such as '% evt 3.0')");
    assertRejected(
        "% Date 2020-09-14\n% evt 2.0\n", "a.raw: not an EVT 3.0 file: its header says evt 2.0");
    assertRejected(
        "% format EVT21;height=720\n", "a.raw: not an EVT 3.0 file: its header says format EVT21");
    assertRejected(
        "% Data file containing CD events\n% Version 2\n",
        "a.raw: not an EVT 3.0 file: its header is a DAT file's ('% Data file containing CD events')");
    assertRejected("#!AER-DAT4.0\r\n", "a.raw: not an EVT 3.0 file: it is an AEDAT 4.0 file");
  }

  private static void assertRejected(String head, String message) {
    byte[] bytes = ascii(head);
    assertThatThrownBy(() -> Evt3Decoder.checkHeader(bytes, bytes.length, "a.raw"))
        .isInstanceOf(FormatException.class)
        .hasMessage(message);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void shouldRoundTripRandomStreamsWithWrapsWhateverTheSplits() {
    for (long seed = 1; seed <= 12; seed++) {
      System.out.println("EVT 3.0 round trip, seed " + seed);
      Random random = new Random(seed);
      List<Event> events = randomEvents(random, 3000, seed % 3 == 0 ? 60_000_000L : 100_000L);
      Evt3Writer writer = new Evt3Writer().header("evt 3.0", "format EVT3;height=720;width=1280");
      List<Event> expected = writer.encode(events, 1280, random);
      byte[] bytes = writer.toBytes();
      RecordedEvents whole = decodeFile(bytes);
      assertThat(whole.events()).isEqualTo(expected);
      assertThat(whole.damages()).isEmpty();
      assertThat(Decoding.randomSplits(new Evt3Decoder(false), bytes, seed, 50).events())
          .isEqualTo(expected);
      assertThat(Decoding.randomSplits(new Evt3Decoder(false), bytes, seed + 100, 500).events())
          .isEqualTo(expected);
    }
  }

  @Test
  void shouldGiveTheSameResultForEveryCutOfASmallStream() {
    Random random = new Random(42);
    Evt3Writer writer = new Evt3Writer().header("evt 3.0");
    List<Event> expected = writer.encode(randomEvents(random, 60, 50_000_000L), 1280, random);
    byte[] bytes = writer.toBytes();
    Decoding.everyCut(
        () -> new Evt3Decoder(false),
        bytes,
        got -> {
          assertThat(got.events()).isEqualTo(expected);
          assertThat(got.damages()).isEmpty();
        });
    assertThat(Decoding.byteByByte(new Evt3Decoder(false), bytes).events()).isEqualTo(expected);
  }

  static List<Event> randomEvents(Random random, int count, long spanUs) {
    List<Event> events = new ArrayList<>();
    long t = random.nextInt(1 << 24);
    for (int i = 0; i < count; i++) {
      if (random.nextInt(4) == 0) {
        t += 1 + (long) (random.nextDouble() * 2 * spanUs / count);
      }
      int y = random.nextInt(720);
      int x = random.nextInt(1280);
      int burst = random.nextInt(3) == 0 ? 1 + random.nextInt(40) : 1;
      for (int b = 0; b < burst && x + b < 1280; b++) {
        events.add(new Event(t, x + b, y, random.nextInt(5) == 0 ? 1 - (b & 1) : 1));
      }
    }
    // one event per pixel, time and polarity: a sensor cannot fire a pixel twice at once
    return new ArrayList<>(new java.util.LinkedHashSet<>(events));
  }

  @Test
  void shouldSurviveTruncationGarbageAndFlippedBytes() {
    Random random = new Random(7);
    Evt3Writer writer = new Evt3Writer().header("evt 3.0", "end");
    writer.encode(randomEvents(random, 80, 40_000_000L), 1280, random);
    byte[] bytes = writer.toBytes();
    HostileInput.truncatedAtEveryByte(() -> new Evt3Decoder(false), bytes);
    HostileInput.randomGarbage(() -> new Evt3Decoder(false), 11);
    HostileInput.randomGarbage(() -> new Evt3Decoder(true), 12);
    HostileInput.flippedBytes(() -> new Evt3Decoder(false), bytes, 13);
  }
}
