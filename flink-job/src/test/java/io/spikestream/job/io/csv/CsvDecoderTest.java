package io.spikestream.job.io.csv;

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

class CsvDecoderTest {

  private static RecordedEvents decode(String text) {
    return Decoding.whole(new CsvDecoder(false), text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldReadTxypLinesWithoutHeader() {
    RecordedEvents got = decode("0,0,0,0\n15,3,4,1\n-2, 7 ,8, 1\n");
    assertThat(got.events())
        .containsExactly(new Event(0, 0, 0, 0), new Event(15, 3, 4, 1), new Event(-2, 7, 8, 1));
    assertThat(got.positions()).containsExactly(0L, 8L, 17L);
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldMatchHeaderColumnsByNameInAnyOrder() {
    String text =
        "%geometry:1280,720\r\n"
            + "x,Y,extra,Polarity,timestamp\r\n"
            + "# a comment\r\n"
            + "\r\n"
            + "10,20,zz,1,1000\r\n"
            + "11,21,zz,0,1001";
    RecordedEvents got = decode(text);
    assertThat(got.events())
        .containsExactly(new Event(1000, 10, 20, 1), new Event(1001, 11, 21, 0));
    assertThat(got.damages()).isEmpty();
  }

  @Test
  void shouldReadBooleanAndSignedPolarities() {
    RecordedEvents got = decode("t,x,y,p\n1,2,3,True\n2,2,3,false\n3,2,3,-1\n4,2,3,1\n");
    assertThat(got.events())
        .containsExactly(
            new Event(1, 2, 3, 1),
            new Event(2, 2, 3, 0),
            new Event(3, 2, 3, 0),
            new Event(4, 2, 3, 1));
  }

  @Test
  void shouldReportBadLinesAsRunsAndKeepTheRest() {
    String text = "1,2,3,1\n1.5,2,3,1\n2,2\n3,2,3,1\n4,-2,3,1\n5,2,3,1";
    RecordedEvents got = decode(text);
    assertThat(got.events())
        .containsExactly(new Event(1, 2, 3, 1), new Event(3, 2, 3, 1), new Event(5, 2, 3, 1));
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(8, "t '1.5' is not an integer [14 bytes]"),
            new RecordedEvents.Damage(30, "x -2 or y 3 is negative or too large [9 bytes]"));
  }

  @Test
  void shouldGiveUpOnAHeaderWithoutTheFourColumns() {
    RecordedEvents got = decode("time,x,y\n1,2,3\n");
    assertThat(got.events()).isEmpty();
    assertThat(got.damages())
        .containsExactly(
            new RecordedEvents.Damage(
                0, "the header 'time,x,y' has no column p; nothing decoded [15 bytes]"));
  }

  @Test
  void shouldSkipALineLongerThanTheLimitWhateverTheSplits() {
    String text = "1,2,3,1\n" + "9".repeat(5000) + ",1,1,1\n2,2,3,1\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (RecordedEvents got :
        List.of(
            Decoding.whole(new CsvDecoder(false), bytes),
            Decoding.byteByByte(new CsvDecoder(false), bytes))) {
      assertThat(got.events()).containsExactly(new Event(1, 2, 3, 1), new Event(2, 2, 3, 1));
      assertThat(got.damages())
          .containsExactly(
              new RecordedEvents.Damage(8, "line longer than 4096 bytes [5007 bytes]"));
    }
  }

  @Test
  void shouldCheckTheFirstLine() throws FormatException {
    check("t,x,y,p\n1,2,3,1\n");
    check("% comment\n5,1,2,0\n");
    assertRejected(
        "a,b,c\n", "e.csv: not a t,x,y,p CSV file: its header 'a,b,c' has no column t, x, y, p");
    assertRejected(
        "1,2\n", "e.csv: not a t,x,y,p CSV file: its first line '1,2' has 2 fields, not 4");
    assertRejected(
        "1,2,3,x1\n",
        "e.csv: not a t,x,y,p CSV file: its first line '1,2,3,x1' is neither a header nor four integers");
    assertRejected(
        "\u0000\u0001",
        "e.csv: not a t,x,y,p CSV file: it holds the control byte 0x00 at offset 0");
  }

  private static void check(String text) throws FormatException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    CsvDecoder.checkHeader(bytes, bytes.length, "e.csv");
  }

  private static void assertRejected(String text, String message) {
    assertThatThrownBy(() -> check(text)).isInstanceOf(FormatException.class).hasMessage(message);
  }

  private static String randomFile(Random random, List<Event> expected, boolean header) {
    StringBuilder text = new StringBuilder(header ? "p,y,t,x\n" : "");
    long t = random.nextInt(1_000_000);
    for (int i = 0; i < 1500; i++) {
      t += random.nextInt(100);
      Event e = new Event(t, random.nextInt(1280), random.nextInt(720), random.nextInt(2));
      expected.add(e);
      if (header) {
        text.append(e.p())
            .append(',')
            .append(e.y())
            .append(',')
            .append(e.t())
            .append(',')
            .append(e.x());
      } else {
        text.append(e.t())
            .append(',')
            .append(e.x())
            .append(',')
            .append(e.y())
            .append(',')
            .append(e.p());
      }
      text.append(random.nextBoolean() ? "\n" : "\r\n");
    }
    return text.toString();
  }

  @Test
  void shouldRoundTripRandomFilesWhateverTheSplits() {
    for (long seed = 1; seed <= 6; seed++) {
      System.out.println("CSV round trip, seed " + seed);
      Random random = new Random(seed);
      List<Event> expected = new ArrayList<>();
      byte[] bytes = randomFile(random, expected, seed % 2 == 0).getBytes(StandardCharsets.UTF_8);
      assertThat(Decoding.whole(new CsvDecoder(false), bytes).events()).isEqualTo(expected);
      assertThat(Decoding.randomSplits(new CsvDecoder(true), bytes, seed, 400).events())
          .isEqualTo(expected);
    }
  }

  @Test
  void shouldSurviveTruncationGarbageAndFlippedBytes() {
    Random random = new Random(8);
    List<Event> expected = new ArrayList<>();
    String text = randomFile(random, expected, true);
    byte[] bytes = text.substring(0, text.indexOf('\n', 600) + 1).getBytes(StandardCharsets.UTF_8);
    // a cut inside the last line's last number leaves a shorter number: that event may differ
    HostileInput.truncatedAtEveryByte(() -> new CsvDecoder(false), bytes, true);
    HostileInput.randomGarbage(() -> new CsvDecoder(false), 41);
    HostileInput.flippedBytes(() -> new CsvDecoder(false), bytes, 42);
  }
}
