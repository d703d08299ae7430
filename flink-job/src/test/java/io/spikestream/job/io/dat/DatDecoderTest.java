package io.spikestream.job.io.dat;

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
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatDecoderTest {

  /** Test encoder written from Prophesee's DAT description. */
  static final class DatWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    DatWriter header(String... lines) {
      for (String line : lines) {
        bytes.writeBytes(("% " + line + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      return this;
    }

    DatWriter typeAndSize(int type, int size) {
      bytes.write(type);
      bytes.write(size);
      return this;
    }

    DatWriter event(long t, int x, int y, int p) {
      long address = ((long) p << 28) | ((long) y << 14) | x;
      for (int b = 0; b < 4; b++) {
        bytes.write((int) (t >>> (8 * b)) & 0xff);
      }
      for (int b = 0; b < 4; b++) {
        bytes.write((int) (address >>> (8 * b)) & 0xff);
      }
      return this;
    }

    byte[] toBytes() {
      return bytes.toByteArray();
    }
  }

  private static final String[] HEADER = {
    "Data file containing CD events",
    "Date 2020-09-14 14:18:29",
    "Version 2",
    "Width 640",
    "Height 480"
  };

  @Test
  void shouldDecodeEventsAfterTheHeaderTypeAndSize() {
    byte[] bytes =
        new DatWriter()
            .header(HEADER)
            .typeAndSize(0x0C, 8)
            .event(10, 639, 479, 1)
            .event(11, 0, 0, 0)
            .toBytes();
    RecordedEvents got = Decoding.whole(new DatDecoder(false), bytes);
    assertThat(got.events()).containsExactly(new Event(10, 639, 479, 1), new Event(11, 0, 0, 0));
    int data = bytes.length - 16;
    assertThat(got.positions()).containsExactly((long) data, data + 8L);
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldCountRolloversOfTheThirtyTwoBitTimestamp() {
    DatWriter writer = new DatWriter().typeAndSize(0x0C, 8);
    writer
        .event(0xffff_fff0L, 1, 1, 1)
        .event(5, 2, 2, 0)
        .event(3, 3, 3, 1)
        .event(0x9000_0000L, 4, 4, 1)
        .event(7, 5, 5, 1);
    RecordedEvents got = Decoding.whole(new DatDecoder(false), writer.toBytes());
    assertThat(got.events())
        .containsExactly(
            new Event(0xffff_fff0L, 1, 1, 1),
            new Event((1L << 32) + 5, 2, 2, 0),
            new Event((1L << 32) + 3, 3, 3, 1),
            new Event((1L << 32) + 0x9000_0000L, 4, 4, 1),
            new Event((2L << 32) + 7, 5, 5, 1));
  }

  @Test
  void shouldReportImpossibleValuesAsRunsAndKeepTheRest() {
    byte[] bytes =
        new DatWriter()
            .header(HEADER)
            .typeAndSize(0x0C, 8)
            .event(1, 1, 1, 1)
            .event(2, 1, 1, 7)
            .event(3, 640, 1, 1)
            .event(4, 2, 2, 0)
            .event(5, 2, 480, 0)
            .toBytes();
    RecordedEvents got = Decoding.whole(new DatDecoder(false), bytes);
    assertThat(got.events()).containsExactly(new Event(1, 1, 1, 1), new Event(4, 2, 2, 0));
    int data = bytes.length - 40;
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                data + 8, "polarity 7 (bits 28..31) is neither 0 nor 1 [16 bytes]"),
            new RecordedEvents.Damage(
                data + 32, "y 480 outside the header's Height 480 [8 bytes]"));
  }

  @Test
  void shouldTreatATriggerFileAsUndecodable() {
    byte[] bytes = new DatWriter().header(HEADER).typeAndSize(0x0E, 8).event(1, 1, 1, 1).toBytes();
    RecordedEvents got = Decoding.whole(new DatDecoder(false), bytes);
    assertThat(got.events()).isEmpty();
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                bytes.length - 10,
                "event type 0x0E: a file of external triggers, not CD events; nothing decoded [10 bytes]"));
  }

  @Test
  void shouldDecodeARecordValueOfBareEvents() {
    byte[] bytes = new DatWriter().event(100, 1, 2, 1).event(101, 3, 4, 0).toBytes();
    assertThat(Decoding.byteByByte(new DatDecoder(true), bytes).events())
        .containsExactly(new Event(100, 1, 2, 1), new Event(101, 3, 4, 0));
  }

  @Test
  void shouldCheckTheHeaderTypeAndSize() throws FormatException {
    byte[] good = new DatWriter().header(HEADER).typeAndSize(0x0C, 8).toBytes();
    DatDecoder.checkHeader(good, good.length, "a.dat");
    assertRejected(
        new DatWriter().header("evt 3.0").toBytes(),
        "a.dat: not a DAT file of CD events: its header says evt 3.0 (a RAW recording)");
    assertRejected(
        new DatWriter().header(HEADER).typeAndSize(0x0E, 8).toBytes(),
        "a.dat: not a DAT file of CD events: its event type is 0x0E (external triggers)");
    assertRejected(
        new DatWriter().header(HEADER).typeAndSize(0x0C, 16).toBytes(),
        "a.dat: not a DAT file of CD events: its event size byte is 16; expected 8");
  }

  private static void assertRejected(byte[] head, String message) {
    assertThatThrownBy(() -> DatDecoder.checkHeader(head, head.length, "a.dat"))
        .isInstanceOf(FormatException.class)
        .hasMessage(message);
  }

  @Test
  void shouldRoundTripRandomFilesWhateverTheSplits() {
    for (long seed = 1; seed <= 5; seed++) {
      System.out.println("DAT round trip, seed " + seed);
      Random random = new Random(seed);
      DatWriter writer = new DatWriter().header(HEADER).typeAndSize(0x0C, 8);
      List<Event> expected = new ArrayList<>();
      long t = random.nextInt(1 << 30);
      for (int i = 0; i < 2000; i++) {
        t += random.nextInt(seed % 2 == 0 ? 20_000_000 : 1000);
        Event e =
            new Event(
                t & 0xffff_ffffL, random.nextInt(640), random.nextInt(480), random.nextInt(2));
        writer.event(e.t(), e.x(), e.y(), e.p());
        // the file holds the low 32 bits; the decoder counts the rollovers back in
        expected.add(new Event(t, e.x(), e.y(), e.p()));
      }
      byte[] bytes = writer.toBytes();
      assertThat(Decoding.whole(new DatDecoder(false), bytes).events()).isEqualTo(expected);
      assertThat(Decoding.randomSplits(new DatDecoder(false), bytes, seed, 200).events())
          .isEqualTo(expected);
    }
  }

  @Test
  void shouldSurviveTruncationGarbageAndFlippedBytes() {
    DatWriter writer = new DatWriter().header(HEADER).typeAndSize(0x0C, 8);
    Random random = new Random(4);
    for (int i = 0; i < 40; i++) {
      writer.event(1000 + i, random.nextInt(640), random.nextInt(480), random.nextInt(2));
    }
    byte[] bytes = writer.toBytes();
    HostileInput.truncatedAtEveryByte(() -> new DatDecoder(false), bytes);
    HostileInput.randomGarbage(() -> new DatDecoder(false), 31);
    HostileInput.flippedBytes(() -> new DatDecoder(false), bytes, 32);
  }
}
