package io.spikestream.job.io.camera;

/**
 * Receives what an {@link AddressEventDecoder} finds, in stream order: address events and the
 * damaged runs of bytes between them.
 *
 * <p>Implementations are called once per event from the decoder's inner loop, so they should be
 * cheap and must not keep references to decoder state.
 */
public interface AddressEventHandler {

  /**
   * One address event.
   *
   * @param tUs timestamp in µs as the stream records it: EVT 2.0 and EVT 3.0 with their time-base
   *     wraps counted (so it keeps growing past 2^34 µs and 2^24 µs), DAT with its 32-bit wraps
   *     counted, AEDAT 4 absolute (Unix time in µs, no offset added), CSV and NumPy as written
   * @param x pixel column, 0 = left; &ge; 0
   * @param y pixel row, 0 = top; &ge; 0
   * @param polarity 1 = ON (brighter), 0 = OFF (darker)
   * @param position byte offset, in the stream, of the word, line, element or packet that carried
   *     the event
   */
  void event(long tUs, int x, int y, int polarity, long position);

  /**
   * Bytes that could not be decoded, reported once per damaged run (not once per byte).
   *
   * @param position byte offset, in the stream, where the damaged run starts
   * @param reason what is wrong, in one line, naming the values found
   */
  void damaged(long position, String reason);
}
