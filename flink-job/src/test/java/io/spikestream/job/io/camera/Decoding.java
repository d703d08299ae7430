package io.spikestream.job.io.camera;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/** Test helper: feeds a byte stream to a decoder in pieces, as a file reader or Kafka would. */
public final class Decoding {

  private Decoding() {}

  /** Decodes {@code bytes} in one call. */
  public static RecordedEvents whole(AddressEventDecoder decoder, byte[] bytes) {
    return split(decoder, bytes, new int[0], false);
  }

  /**
   * Decodes {@code bytes} cut at the given ascending offsets, one {@code decode} call per piece.
   *
   * @param direct whether to pass direct (array-less) buffers
   */
  public static RecordedEvents split(
      AddressEventDecoder decoder, byte[] bytes, int[] cuts, boolean direct) {
    RecordedEvents out = new RecordedEvents();
    int start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int end = i < cuts.length ? cuts[i] : bytes.length;
      ByteBuffer piece;
      if (direct) {
        piece = ByteBuffer.allocateDirect(end - start);
        piece.put(bytes, start, end - start).flip();
      } else {
        // a view into a larger array, so decoders must honour arrayOffset and position
        byte[] padded = new byte[end - start + 7];
        System.arraycopy(bytes, start, padded, 3, end - start);
        piece = ByteBuffer.wrap(padded, 3, end - start).slice();
      }
      decoder.decode(piece, out);
      if (piece.hasRemaining()) {
        throw new AssertionError("decode left " + piece.remaining() + " bytes unconsumed");
      }
      start = end;
    }
    decoder.finish(out);
    return out;
  }

  /** Decodes {@code bytes} one byte per call. */
  public static RecordedEvents byteByByte(AddressEventDecoder decoder, byte[] bytes) {
    int[] cuts = new int[Math.max(0, bytes.length - 1)];
    Arrays.setAll(cuts, i -> i + 1);
    return split(decoder, bytes, cuts, false);
  }

  /** Decodes {@code bytes} cut at {@code count} random places (direct buffers half the time). */
  public static RecordedEvents randomSplits(
      AddressEventDecoder decoder, byte[] bytes, long seed, int count) {
    Random random = new Random(seed);
    int[] cuts =
        bytes.length < 2
            ? new int[0]
            : random.ints(count, 1, bytes.length).sorted().distinct().toArray();
    return split(decoder, bytes, cuts, random.nextBoolean());
  }

  /** Decodes {@code bytes} with every single cut position in turn and returns the results. */
  public static void everyCut(
      Supplier<AddressEventDecoder> decoders,
      byte[] bytes,
      java.util.function.Consumer<RecordedEvents> check) {
    for (int cut = 1; cut < bytes.length; cut++) {
      check.accept(split(decoders.get(), bytes, new int[] {cut}, false));
    }
  }
}
