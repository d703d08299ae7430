package io.spikestream.job.io.npy;

import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.util.List;
import java.util.Random;

/** NumPy files written by the test encoder, for tests outside this package. */
public final class NpyFiles {

  private NpyFiles() {}

  /**
   * A {@code .npy} structured array of events in expelliarmus' layout ({@code t <i8, x <i2, y <i2,
   * p |u1} and a 3-byte padding field).
   *
   * @param events the events, in the order to write them
   * @param random fills the padding
   * @return the file's bytes
   */
  public static byte[] write(List<Event> events, Random random) {
    List<NpyDecoderTest.Column> columns =
        List.of(
            new NpyDecoderTest.Column("t", "<i8"),
            new NpyDecoderTest.Column("x", "<i2"),
            new NpyDecoderTest.Column("y", "<i2"),
            new NpyDecoderTest.Column("p", "|u1"),
            new NpyDecoderTest.Column("", "|V3"));
    return NpyDecoderTest.npy(
        1,
        NpyDecoderTest.descr(columns),
        "(" + events.size() + ",)",
        NpyDecoderTest.elements(columns, events, random));
  }
}
