package io.spikestream.job.io.evt3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.Decoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Imx636Evt3GeneratorTest {

  /** Sums what the decoder reports, as the benchmark does. */
  private static final class Sums implements AddressEventHandler {
    long events;
    long sumT;
    long sumX;
    long sumY;
    long sumP;
    long damages;
    long firstT = -1;
    long lastT;
    long on;

    @Override
    public void event(long tUs, int x, int y, int polarity, long position) {
      events++;
      sumT += tUs;
      sumX += x;
      sumY += y;
      sumP += polarity;
      on += polarity;
      if (firstT < 0) {
        firstT = tUs;
      }
      lastT = tUs;
    }

    @Override
    public void damaged(long position, String reason) {
      damages++;
    }
  }

  @Test
  void shouldWriteWhatTheDecoderReadsBackWithSensorLikeStatistics() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Imx636Evt3Generator.Summary summary = new Imx636Evt3Generator(5, 10_000).write(bytes, 400_000);
    byte[] file = bytes.toByteArray();
    assertThat(summary.events()).isEqualTo(400_000);
    assertThat(summary.bytes()).isEqualTo(file.length);

    Sums sums = new Sums();
    Evt3Decoder decoder = new Evt3Decoder(false);
    decoder.decode(ByteBuffer.wrap(file), sums);
    decoder.finish(sums);
    assertThat(sums.damages).isZero();
    assertThat(sums.events).isEqualTo(summary.events());
    assertThat(sums.sumT).isEqualTo(summary.sumT());
    assertThat(sums.sumX).isEqualTo(summary.sumX());
    assertThat(sums.sumY).isEqualTo(summary.sumY());
    assertThat(sums.sumP).isEqualTo(summary.sumP());
    assertThat(sums.firstT).isEqualTo(summary.firstT());
    assertThat(sums.lastT).isEqualTo(summary.lastT());

    // about 10 events per µs: 400,000 events span roughly 40 ms of sensor time
    double spanMs = (summary.lastT() - summary.firstT()) / 1000.0;
    assertThat(spanMs).isBetween(15.0, 120.0);
    // EVT 3.0 at a sensor's mix of single events and vectors: 2 to 3.5 bytes per event
    assertThat((double) file.length / summary.events()).isBetween(2.0, 3.5);
    assertThat((double) sums.on / sums.events).isBetween(0.4, 0.65);

    int[] wordTypes = new int[16];
    int data =
        new String(file, 0, 400, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("% end\n")
            + 6;
    for (int i = data; i + 1 < file.length; i += 2) {
      wordTypes[(file[i + 1] & 0xff) >>> 4]++;
    }
    assertThat(wordTypes[0x3]).as("VECT_BASE_X words").isGreaterThan(1000);
    assertThat(wordTypes[0x4]).as("VECT_12 words").isEqualTo(2 * wordTypes[0x3]);
    assertThat(wordTypes[0x5]).as("VECT_8 words").isEqualTo(wordTypes[0x3]);
    assertThat(wordTypes[0x2]).as("ADDR_X words").isGreaterThan(wordTypes[0x3]);
    assertThat(wordTypes[0x8]).as("TIME_HIGH words, one per 16 µs with events").isGreaterThan(1000);
  }

  @Test
  void shouldWrapTheTimeBaseInALongRecording() throws IOException {
    // 20 million events at 10,000 per ms are 2 s, past the wrap 1.5 s after the start
    Imx636Evt3Generator.Summary summary =
        new Imx636Evt3Generator(9, 10_000).write(OutputStreamNull.INSTANCE, 20_000_000);
    assertThat(summary.firstT()).isLessThan(1L << 24);
    assertThat(summary.lastT()).isGreaterThan(1L << 24);
  }

  @Test
  void shouldDecodeTheSameWhateverTheSplits() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Imx636Evt3Generator(6, 10_000).write(bytes, 20_000);
    byte[] file = bytes.toByteArray();
    var whole = Decoding.whole(new Evt3Decoder(false), file);
    assertThat(whole.events()).hasSize(20_000);
    assertThat(Decoding.randomSplits(new Evt3Decoder(false), file, 6, 1000).events())
        .isEqualTo(whole.events());
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
