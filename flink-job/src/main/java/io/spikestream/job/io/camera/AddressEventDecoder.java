package io.spikestream.job.io.camera;

import java.nio.ByteBuffer;

/**
 * A streaming decoder of one stream of camera data: a file from its first byte, or one
 * self-contained Kafka record value. Bytes may arrive in pieces of any size; the result does not
 * depend on where the stream was split.
 *
 * <p>A decoder is deterministic: the same bytes give the same calls, so a reader that restores from
 * a checkpoint may re-decode from the start and skip what it had emitted. It never throws on bad
 * input: damage is reported through {@link AddressEventHandler#damaged} and decoding goes on where
 * the format allows. Not thread-safe; one decoder per stream.
 */
public interface AddressEventDecoder {

  /**
   * Decodes the next bytes of the stream, from the buffer's position to its limit; all of them are
   * consumed (the position is moved to the limit). A word, line or packet split across calls is
   * completed by the next call.
   *
   * @param bytes the next bytes; not null
   * @param out receives the events and damage found; not null
   */
  void decode(ByteBuffer bytes, AddressEventHandler out);

  /**
   * The stream has ended: whatever is still pending (a partial word, line or packet) is decoded if
   * complete or reported as damage. Further calls to {@link #decode} are not allowed.
   *
   * @param out receives the last events and damage; not null
   */
  void finish(AddressEventHandler out);
}
