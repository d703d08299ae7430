package io.spikestream.job.io.evt3;

import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.util.List;
import java.util.Random;

/** EVT 3.0 files written by the test encoder, for tests outside this package. */
public final class Evt3Files {

  private Evt3Files() {}

  /**
   * A {@code .raw} file of events as a sensor would write them (see {@link Evt3Writer#encode}).
   *
   * @param events the events, any order; x within {@code width}
   * @param width the sensor's columns
   * @param random chooses vector words, sprinkles trigger and monitoring words
   * @return the file's bytes, with its {@code %} header
   */
  public static byte[] write(List<Event> events, int width, Random random) {
    Evt3Writer writer = new Evt3Writer().header("evt 3.0", "format EVT3;height=720;width=1280");
    writer.encode(events, width, random);
    return writer.toBytes();
  }

  /**
   * A Kafka record value of events: EVT 3.0 words without a header, starting with a time-high word
   * and a row before the first event word, as {@code CameraFormat.newDecoder(true)} reads them.
   *
   * @param events the events, any order; x within {@code width}
   * @param width the sensor's columns
   * @param random chooses vector words, sprinkles trigger and monitoring words
   * @return the record's bytes
   */
  public static byte[] record(List<Event> events, int width, Random random) {
    Evt3Writer writer = new Evt3Writer();
    writer.encode(events, width, random);
    return writer.toBytes();
  }
}
