package io.spikestream.job.io.evt2;

import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.util.List;
import java.util.Random;

/** EVT 2.0 files written by the test encoder, for tests outside this package. */
public final class Evt2Files {

  private Evt2Files() {}

  /**
   * A {@code .raw} file of events, sorted by time, with time-high words where needed.
   *
   * @param events the events, any order
   * @param random sprinkles trigger words
   * @return the file's bytes, with its {@code %} header
   */
  public static byte[] write(List<Event> events, Random random) {
    Evt2DecoderTest.Evt2Writer writer = new Evt2DecoderTest.Evt2Writer().header("evt 2.0");
    writer.encode(events, random);
    return writer.toBytes();
  }
}
