package io.spikestream.job.io.aedat4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.io.aedat4.Aedat4Writer.Compression;
import io.spikestream.job.io.aedat4.Aedat4Writer.Stream;
import io.spikestream.job.io.camera.Decoding;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.HostileInput;
import io.spikestream.job.io.camera.RecordedEvents;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Aedat4DecoderTest {

  /** A DVXplorer recording's streams: events, frames, IMU, triggers. */
  private static final List<Stream> STREAMS =
      List.of(
          new Stream(0, "EVTS", 640, 480),
          new Stream(1, "FRME", 640, 480),
          new Stream(2, "IMUS", 0, 0),
          new Stream(3, "TRIG", 0, 0));

  private static final long UNIX_US = 1_605_537_493_718_345L;

  private static List<Event> events(Random random, int count, long t0) {
    List<Event> events = new ArrayList<>();
    long t = t0;
    for (int i = 0; i < count; i++) {
      t += random.nextInt(30);
      events.add(new Event(t, random.nextInt(640), random.nextInt(480), random.nextInt(2)));
    }
    return events;
  }

  /** Writes packets of events with frames, IMU and trigger packets between them. */
  private static List<Event> writeRecording(
      Aedat4Writer writer, Random random, int packets, List<Long> positions) {
    List<Event> expected = new ArrayList<>();
    long t = UNIX_US;
    for (int p = 0; p < packets; p++) {
      List<Event> packet = events(random, 1 + random.nextInt(p % 5 == 4 ? 9000 : 300), t);
      t = packet.get(packet.size() - 1).t();
      int at = writer.position();
      writer.events(0, packet);
      for (int k = 0; k < packet.size(); k++) {
        positions.add((long) at);
      }
      expected.addAll(packet);
      switch (random.nextInt(4)) {
        case 0 -> writer.other(1, "FRME", new byte[640 * 48]);
        case 1 -> writer.other(2, "IMUS", new byte[44 * 10]);
        case 2 -> writer.other(3, "TRIG", new byte[9]);
        default -> {}
      }
    }
    return expected;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void shouldDecodeEveryCompressionWithAndWithoutTheDataTable(Compression compression) {
    Random random = new Random(compression.ordinal());
    Aedat4Writer writer = new Aedat4Writer(compression, STREAMS);
    List<Long> positions = new ArrayList<>();
    List<Event> expected = writeRecording(writer, random, 12, positions);
    for (byte[] file : List.of(writer.withDataTable(), writer.withoutDataTable())) {
      RecordedEvents got = Decoding.whole(new Aedat4Decoder(false), file);
      assertThat(got.damages()).isEmpty();
      assertThat(got.events()).isEqualTo(expected);
      assertThat(got.positions()).isEqualTo(positions);
      assertThat(Decoding.randomSplits(new Aedat4Decoder(false), file, 7, 200).events())
          .isEqualTo(expected);
      assertThat(
              Decoding.split(new Aedat4Decoder(true), file, new int[] {1, 13, 20, 500}, true)
                  .events())
          .isEqualTo(expected);
    }
  }

  @Test
  void shouldGiveTheSameResultForEveryCutOfASmallFile() {
    Aedat4Writer writer = new Aedat4Writer(Compression.LZ4_HIGH, STREAMS);
    List<Event> expected = writeRecording(writer, new Random(3), 3, new ArrayList<>());
    byte[] file = writer.withDataTable();
    Decoding.everyCut(
        () -> new Aedat4Decoder(false),
        file,
        got -> {
          assertThat(got.events()).isEqualTo(expected);
          assertThat(got.damages()).isEmpty();
        });
  }

  @Test
  void shouldResynchroniseAfterAPacketWhoseSizeLies() {
    Random random = new Random(4);
    List<Event> first = events(random, 50, UNIX_US);
    List<Event> second = events(random, 60, UNIX_US + 10_000);
    List<Event> third = events(random, 70, UNIX_US + 20_000);
    for (int lie : new int[] {-20, +20, +5000}) {
      Aedat4Writer writer = new Aedat4Writer(Compression.LZ4, STREAMS);
      writer.events(0, first);
      int damagedAt = writer.position();
      byte[] body = writer.compress(Aedat4Writer.eventPacket(second));
      writer.raw(0, body.length + lie, body);
      writer.other(1, "FRME", new byte[100]);
      writer.events(0, third);
      RecordedEvents got = Decoding.whole(new Aedat4Decoder(false), writer.withoutDataTable());
      List<Event> expected = new ArrayList<>(first);
      expected.addAll(third);
      assertThat(got.events()).as("size off by %d", lie).isEqualTo(expected);
      assertThat(got.damages()).as("size off by %d", lie).hasSize(1);
      assertThat(got.damages().get(0).position()).isEqualTo(damagedAt);
      // too short: the frame is cut; too long: the frame has bytes after it, or the file ends
      assertThat(got.damages().get(0).reason()).contains("packet at " + damagedAt);
    }
  }

  @Test
  void shouldReportBodiesThatDoNotDecompressOrParseAndKeepTheOtherPackets() {
    Random random = new Random(5);
    List<Event> first = events(random, 10, UNIX_US);
    List<Event> last = events(random, 10, UNIX_US + 1000);
    Aedat4Writer writer = new Aedat4Writer(Compression.ZSTD, STREAMS);
    writer.events(0, first);
    byte[] garbage = new byte[300];
    random.nextBytes(garbage);
    byte[] badFrame = writer.compress(garbage);
    // a frame cut short (flipped bytes inside a frame without checksum may go unnoticed)
    byte[] frame = writer.compress(Aedat4Writer.eventPacket(first));
    byte[] corrupt = Arrays.copyOf(frame, frame.length - 3);
    int notEvents = writer.position();
    writer.packet(0, writer.compress(Aedat4Writer.otherPacket("FRME", new byte[20])));
    int notFlatbuffer = writer.position();
    writer.packet(0, badFrame);
    int corrupted = writer.position();
    writer.packet(0, corrupt);
    writer.events(0, last);
    RecordedEvents got = Decoding.whole(new Aedat4Decoder(false), writer.withDataTable());
    List<Event> expected = new ArrayList<>(first);
    expected.addAll(last);
    assertThat(got.events()).isEqualTo(expected);
    assertThat(got.damages()).hasSize(3);
    assertThat(got.damages().get(0).position()).isEqualTo(notEvents);
    assertThat(got.damages().get(0).reason()).contains("it holds 'FRME' data, not EVTS events");
    assertThat(got.damages().get(1).position()).isEqualTo(notFlatbuffer);
    assertThat(got.damages().get(2).position()).isEqualTo(corrupted);
    assertThat(got.damages().get(2).reason()).contains("body does not decompress as ZSTD");
  }

  @Test
  void shouldReportAnUndeclaredStreamAndImpossibleAddresses() {
    Aedat4Writer writer = new Aedat4Writer(Compression.NONE, STREAMS);
    int undeclared = writer.position();
    writer.packet(9, Aedat4Writer.eventPacket(List.of(new Event(UNIX_US, 1, 1, 1))));
    int bad = writer.position();
    writer.events(
        0,
        List.of(
            new Event(UNIX_US + 1, 2, 2, 1),
            new Event(UNIX_US + 2, -3, 2, 1),
            new Event(UNIX_US + 3, 640, 2, 1),
            new Event(UNIX_US + 4, 4, 4, 0)));
    RecordedEvents got = Decoding.whole(new Aedat4Decoder(false), writer.withDataTable());
    assertThat(got.events())
        .containsExactly(new Event(UNIX_US + 1, 2, 2, 1), new Event(UNIX_US + 4, 4, 4, 0));
    assertThat(got.damages()).hasSize(2);
    assertThat(got.damages().get(0).position()).isEqualTo(undeclared);
    assertThat(got.damages().get(0).reason())
        .startsWith("packet header names stream 9, which the IOHeader does not declare [");
    assertThat(got.damages().get(1).position()).isEqualTo(bad);
    assertThat(got.damages().get(1).reason())
        .startsWith("packet at " + bad + ": event at x -3, y 2 outside the 640x480 sensor [");
  }

  @Test
  void shouldFallBackToPacketIdentifiersWhenTheInfoNodeIsNotXml() {
    Aedat4Writer writer = new Aedat4Writer(Compression.LZ4, STREAMS, "<dv><node name=");
    List<Event> expected = writeRecording(writer, new Random(6), 5, new ArrayList<>());
    RecordedEvents got = Decoding.whole(new Aedat4Decoder(false), writer.withDataTable());
    assertThat(got.events()).isEqualTo(expected);
    assertThat(got.damages()).hasSize(1);
    assertThat(got.damages().get(0).reason())
        .startsWith("the IOHeader's its info node is not XML")
        .contains("packets told apart by their identifiers");
  }

  @Test
  void shouldTreatAWrongMagicOrCompressionAsUnreadable() {
    RecordedEvents got =
        Decoding.whole(
            new Aedat4Decoder(false), "#!AER-DAT2.0\r\n1234".getBytes(StandardCharsets.US_ASCII));
    assertThat(got.events()).isEmpty();
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                0, "the stream does not start with #!AER-DAT4.0; nothing decoded [18 bytes]"));
    byte[] header = Aedat4Writer.ioHeader(7, -1, Aedat4Writer.infoNode(STREAMS));
    byte[] file = new byte[14 + header.length];
    System.arraycopy("#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 14);
    System.arraycopy(header, 0, file, 14, header.length);
    assertThat(Decoding.whole(new Aedat4Decoder(false), file).damages().get(0).reason())
        .startsWith("the IOHeader names the unknown compression 7; nothing decoded");
  }

  @Test
  void shouldCheckTheHeader() throws FormatException {
    byte[] good = new Aedat4Writer(Compression.LZ4, STREAMS).withDataTable();
    Aedat4Decoder.checkHeader(good, good.length, "r.aedat4");
    assertThatThrownBy(
            () ->
                Aedat4Decoder.checkHeader(
                    "#!AER-DAT2.0\r\n".getBytes(StandardCharsets.US_ASCII), 14, "r.aedat"))
        .isInstanceOf(FormatException.class)
        .hasMessage("r.aedat: not an AEDAT 4.0 file: it is an AEDAT 2.0 file");
    byte[] raw = "% evt 3.0\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Aedat4Decoder.checkHeader(raw, raw.length, "r.raw"))
        .isInstanceOf(FormatException.class)
        .hasMessage("r.raw: not an AEDAT 4.0 file: it does not start with #!AER-DAT4.0");
  }

  @Test
  void shouldSurviveTruncationGarbageAndFlippedBytes() {
    for (Compression compression : List.of(Compression.NONE, Compression.LZ4_HIGH)) {
      Aedat4Writer writer = new Aedat4Writer(compression, STREAMS);
      Random random = new Random(7);
      writer.events(0, events(random, 5, UNIX_US));
      writer.other(2, "IMUS", new byte[30]);
      writer.events(0, events(random, 7, UNIX_US + 500));
      byte[] file = writer.withDataTable();
      HostileInput.truncatedAtEveryByte(() -> new Aedat4Decoder(false), file);
      HostileInput.flippedBytes(() -> new Aedat4Decoder(false), file, 61 + compression.ordinal());
    }
    HostileInput.randomGarbage(() -> new Aedat4Decoder(false), 63);
    // garbage after a valid header exercises the packet scanner
    byte[] header = new Aedat4Writer(Compression.ZSTD, STREAMS).withoutDataTable();
    Random random = new Random(64);
    for (int trial = 0; trial < 20; trial++) {
      byte[] garbage = new byte[random.nextInt(3000)];
      random.nextBytes(garbage);
      byte[] file = Arrays.copyOf(header, header.length + garbage.length);
      System.arraycopy(garbage, 0, file, header.length, garbage.length);
      RecordedEvents got = Decoding.whole(new Aedat4Decoder(false), file);
      HostileInput.assertSane(got, file.length);
      assertThat(Decoding.randomSplits(new Aedat4Decoder(false), file, trial, 30).damages())
          .isEqualTo(got.damages());
    }
  }
}
