package io.spikestream.job.io.camera;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The shared shell of the decoders: hands the bytes of each {@link #decode} call to the format's
 * loop as one array range (the buffer's own array when it has one, else copies of up to 64 KiB),
 * and counts the stream offset, so the format code works on plain {@code byte[]} and absolute
 * positions.
 */
public abstract class ChunkedDecoder implements AddressEventDecoder {

  /** Size in bytes of the copies made from a buffer without an accessible array. */
  private static final int COPY_CHUNK_BYTES = 64 * 1024;

  private byte[] copyBuffer;
  private long streamOffset;
  private boolean finished;

  /** Creates a decoder at stream offset 0. */
  protected ChunkedDecoder() {}

  @Override
  public final void decode(ByteBuffer bytes, AddressEventHandler out) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(out, "out");
    if (finished) {
      throw new IllegalStateException("decode called after finish");
    }
    int length = bytes.remaining();
    if (length == 0) {
      return;
    }
    if (bytes.hasArray()) {
      decodeBytes(bytes.array(), bytes.arrayOffset() + bytes.position(), length, streamOffset, out);
      streamOffset += length;
      bytes.position(bytes.limit());
      return;
    }
    if (copyBuffer == null) {
      copyBuffer = new byte[COPY_CHUNK_BYTES];
    }
    while (bytes.hasRemaining()) {
      int n = Math.min(copyBuffer.length, bytes.remaining());
      bytes.get(copyBuffer, 0, n);
      decodeBytes(copyBuffer, 0, n, streamOffset, out);
      streamOffset += n;
    }
  }

  @Override
  public final void finish(AddressEventHandler out) {
    Objects.requireNonNull(out, "out");
    if (finished) {
      throw new IllegalStateException("finish called twice");
    }
    finished = true;
    finishStream(streamOffset, out);
  }

  /**
   * Decodes {@code bytes[from, from + length)}, the next bytes of the stream.
   *
   * @param bytes array holding the bytes; only the given range may be read, and only during the
   *     call
   * @param from index of the first byte
   * @param length number of bytes, &gt; 0
   * @param position stream offset, in bytes, of {@code bytes[from]}
   * @param out receives events and damage
   */
  protected abstract void decodeBytes(
      byte[] bytes, int from, int length, long position, AddressEventHandler out);

  /**
   * Ends the stream: decodes or reports as damage whatever is pending.
   *
   * @param endPosition stream length in bytes
   * @param out receives events and damage
   */
  protected abstract void finishStream(long endPosition, AddressEventHandler out);
}
