package io.spikestream.job.io.npy;

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

class NpyDecoderTest {

  /**
   * Test encoder written from NumPy's .npy format description (NEP 1): magic, version, header
   * length, a blank-padded dict literal ending in a line feed so the data starts at a multiple of
   * 64, then the elements.
   */
  static byte[] npy(int major, String descr, String shape, byte[] data) {
    int preamble = major == 1 ? 10 : 12;
    String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
    int total = preamble + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - total) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(major);
    out.write(0);
    int length = header.length();
    out.write(length & 0xff);
    out.write(length >>> 8);
    if (major > 1) {
      out.write(length >>> 16);
      out.write(length >>> 24);
    }
    out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** One field of a structured dtype: its name and NumPy type string. */
  record Column(String name, String typestr) {
    int size() {
      return Integer.parseInt(typestr.substring(2));
    }
  }

  static String descr(List<Column> columns) {
    StringBuilder text = new StringBuilder("[");
    for (Column c : columns) {
      text.append("('").append(c.name()).append("', '").append(c.typestr()).append("'), ");
    }
    return text.append("]").toString();
  }

  static byte[] elements(List<Column> columns, List<Event> events, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Event e : events) {
      for (Column c : columns) {
        long value =
            switch (c.name()) {
              case "t" -> e.t();
              case "x" -> e.x();
              case "y" -> e.y();
              case "p" -> e.p();
              default -> random.nextLong();
            };
        boolean big = c.typestr().charAt(0) == '>';
        int size = c.size();
        for (int k = 0; k < size; k++) {
          int shift = 8 * (big ? size - 1 - k : k);
          out.write((int) (value >>> shift) & 0xff);
        }
      }
    }
    return out.toByteArray();
  }

  private static List<Event> randomEvents(Random random, int count) {
    List<Event> events = new ArrayList<>();
    long t = random.nextInt(1 << 20);
    for (int i = 0; i < count; i++) {
      t += random.nextInt(50);
      events.add(new Event(t, random.nextInt(1280), random.nextInt(720), random.nextInt(2)));
    }
    return events;
  }

  private static final List<Column> EXPELLIARMUS =
      List.of(
          new Column("t", "<i8"),
          new Column("x", "<i2"),
          new Column("y", "<i2"),
          new Column("p", "|u1"),
          new Column("", "|V3"));

  @Test
  void shouldReadExpelliarmusLayoutWithItsPaddingField() {
    List<Event> events = List.of(new Event(11718656, 1279, 719, 1), new Event(11718657, 0, 0, 0));
    byte[] bytes =
        npy(1, descr(EXPELLIARMUS), "(2,)", elements(EXPELLIARMUS, events, new Random(1)));
    RecordedEvents got = Decoding.whole(new NpyDecoder(false), bytes);
    assertThat(got.events()).isEqualTo(events);
    long data = bytes.length - 32;
    assertThat(data % 64).as("data aligned to 64 bytes").isZero();
    assertThat(got.positions()).containsExactly(data, data + 16);
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldMatchFieldsByNameInAnyOrderTypeAndByteOrder() {
    Random random = new Random(2);
    List<List<Column>> layouts =
        List.of(
            // tonic: x, y, t, p with a bool polarity
            List.of(
                new Column("x", "<i2"),
                new Column("y", "<i2"),
                new Column("t", "<i8"),
                new Column("p", "|b1")),
            List.of(
                new Column("p", "|b1"),
                new Column("pad", "|V7"),
                new Column("y", ">u2"),
                new Column("t", ">i8"),
                new Column("x", ">i4")),
            List.of(
                new Column("extra", "<f4"),
                new Column("t", "<u4"),
                new Column("x", "<u2"),
                new Column("y", "<u2"),
                new Column("p", "<i1")));
    for (List<Column> layout : layouts) {
      for (int major = 1; major <= 3; major++) {
        List<Event> events = randomEvents(random, 300);
        byte[] bytes = npy(major, descr(layout), "(300,)", elements(layout, events, random));
        assertThat(Decoding.whole(new NpyDecoder(false), bytes).events())
            .as("layout %s, version %d", layout, major)
            .isEqualTo(events);
        assertThat(Decoding.randomSplits(new NpyDecoder(true), bytes, major, 100).events())
            .isEqualTo(events);
      }
    }
  }

  @Test
  void shouldReportMissingAndTrailingElementsAndNegativeAddresses() {
    List<Event> events =
        List.of(new Event(1, 1, 1, 1), new Event(2, -1, 1, 1), new Event(3, 3, 3, 0));
    byte[] data = elements(EXPELLIARMUS, events, new Random(3));
    byte[] short4 = npy(1, descr(EXPELLIARMUS), "(4,)", data);
    RecordedEvents got = Decoding.whole(new NpyDecoder(false), short4);
    long start = short4.length - data.length;
    assertThat(got.events()).containsExactly(new Event(1, 1, 1, 1), new Event(3, 3, 3, 0));
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                start + 16, "x -1 or y 1 is negative or too large [16 bytes]"),
            new RecordedEvents.Damage(
                start + 48, "the stream ends 3 elements into the header's 4 [0 bytes]"));
    // the bad second element and the third, past the header's count, make one run
    byte[] long2 = npy(1, descr(EXPELLIARMUS), "(2,)", data);
    assertThat(Decoding.whole(new NpyDecoder(false), long2).damages())
        .containsExactly(
            new RecordedEvents.Damage(
                start + 16, "x -1 or y 1 is negative or too large [32 bytes]"));
  }

  @Test
  void shouldCheckTheHeader() throws FormatException {
    byte[] good = npy(1, descr(EXPELLIARMUS), "(0,)", new byte[0]);
    NpyDecoder.checkHeader(good, good.length, "e.npy");
    assertRejected(
        npy(1, "'<i8'", "(10, 4)", new byte[0]),
        "e.npy: not a NumPy event array: it is not a structured array of t, x, y, p: its dtype is '<i8'");
    assertRejected(
        npy(2, "[('t', '<f8'), ('x', '<i2'), ('y', '<i2'), ('p', '|u1')]", "(0,)", new byte[0]),
        "e.npy: not a NumPy event array: its field 't' is '<f8'; expected an integer type");
    assertRejected(
        npy(1, "[('t', '<i8'), ('x', '<i2'), ('y', '<i2')]", "(0,)", new byte[0]),
        "e.npy: not a NumPy event array: its dtype has no field 'p' (fields: t, x, y)");
    assertRejected(
        "t,x,y,p\n".getBytes(StandardCharsets.US_ASCII),
        "e.npy: not a NumPy event array: it does not start with the magic \\x93NUMPY");
  }

  private static void assertRejected(byte[] head, String message) {
    assertThatThrownBy(() -> NpyDecoder.checkHeader(head, head.length, "e.npy"))
        .isInstanceOf(FormatException.class)
        .hasMessage(message);
  }

  @Test
  void shouldTreatAStreamWithAnUnusableHeaderAsOneDamagedRun() {
    byte[] bytes = npy(1, "'<i8'", "(3,)", new byte[24]);
    RecordedEvents got = Decoding.whole(new NpyDecoder(false), bytes);
    assertThat(got.events()).isEmpty();
    assertThat(got.damages()).hasSize(1);
    assertThat(got.damages().get(0).reason())
        .startsWith("not a usable .npy event array: it is not a structured array")
        .endsWith("; nothing decoded [" + bytes.length + " bytes]");
  }

  @Test
  void shouldSurviveTruncationGarbageAndFlippedBytes() {
    Random random = new Random(5);
    byte[] bytes =
        npy(
            1,
            descr(EXPELLIARMUS),
            "(20,)",
            elements(EXPELLIARMUS, randomEvents(random, 20), random));
    HostileInput.truncatedAtEveryByte(() -> new NpyDecoder(false), bytes);
    HostileInput.randomGarbage(() -> new NpyDecoder(false), 51);
    HostileInput.flippedBytes(() -> new NpyDecoder(false), bytes, 52);
  }
}
