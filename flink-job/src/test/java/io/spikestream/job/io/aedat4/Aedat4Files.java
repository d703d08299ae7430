package io.spikestream.job.io.aedat4;

import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.util.List;

/** AEDAT 4.0 files written by the test encoder, for tests outside this package. */
public final class Aedat4Files {

  private Aedat4Files() {}

  /**
   * An {@code .aedat4} file of events in packets of {@code perPacket}, LZ4-compressed, with a frame
   * stream's packet between event packets and the data table at the end.
   *
   * @param events the events, in the order to write them
   * @param perPacket events per packet
   * @return the file's bytes
   */
  public static byte[] write(List<Event> events, int perPacket) {
    Aedat4Writer writer =
        new Aedat4Writer(
            Aedat4Writer.Compression.LZ4,
            List.of(
                new Aedat4Writer.Stream(0, "EVTS", 1280, 720),
                new Aedat4Writer.Stream(1, "FRME", 1280, 720)));
    for (int i = 0; i < events.size(); i += perPacket) {
      writer.events(0, events.subList(i, Math.min(events.size(), i + perPacket)));
      writer.other(1, "FRME", new byte[] {1, 2, 3});
    }
    return writer.withDataTable();
  }
}
