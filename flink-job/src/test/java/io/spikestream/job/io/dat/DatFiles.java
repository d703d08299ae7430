package io.spikestream.job.io.dat;

import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.util.List;

/** DAT files written by the test encoder, for tests outside this package. */
public final class DatFiles {

  private DatFiles() {}

  /**
   * A {@code .dat} file of CD events in the given order (32-bit timestamps: events below 2^32 µs).
   *
   * @param events the events
   * @return the file's bytes, with its {@code %} header and type and size bytes
   */
  public static byte[] write(List<Event> events) {
    DatDecoderTest.DatWriter writer =
        new DatDecoderTest.DatWriter()
            .header("Data file containing CD events", "Version 2", "Width 1280", "Height 720")
            .typeAndSize(0x0C, 8);
    for (Event e : events) {
      writer.event(e.t(), e.x(), e.y(), e.p());
    }
    return writer.toBytes();
  }
}
