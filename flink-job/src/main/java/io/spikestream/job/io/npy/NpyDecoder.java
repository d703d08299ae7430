package io.spikestream.job.io.npy;

import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.ChunkedDecoder;
import io.spikestream.job.io.camera.DamageRun;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.Magic;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decodes a NumPy {@code .npy} file holding a structured array of events, as tonic and expelliarmus
 * write them: fields {@code t} (µs), {@code x}, {@code y} and {@code p}, found by name in any
 * order, with padding or other fields between them, in either byte order (see {@link NpyHeader}).
 * {@code t}, {@code x} and {@code y} may be any signed or unsigned integer of 1, 2, 4 or 8 bytes
 * (tonic and expelliarmus use int64 and int16); {@code p} a bool or an integer, &gt; 0 meaning ON.
 * Elements are read in storage order.
 *
 * <p>Damage, once per run of consecutive bad elements, decoding going on at the next element: a
 * negative x or y; the stream ending before the header's element count (the partial element and the
 * count missing are reported); bytes after the last element. A missing or unusable header (wrong
 * magic, an unknown version, a dtype without t, x, y or p, a float field) makes the whole stream
 * one damaged run.
 *
 * <p>A Kafka record value holds a complete {@code .npy} file.
 */
public final class NpyDecoder extends ChunkedDecoder {

  private enum Stage {
    PREAMBLE,
    HEADER,
    DATA,
    TRAILING,
    UNREADABLE
  }

  private Stage stage = Stage.PREAMBLE;
  private byte[] prefix = new byte[64];
  private int prefixLength;
  private int headerEnd;

  private NpyHeader header;
  private int itemSize;
  private long remaining;
  private byte[] item;
  private int itemFill;
  private long itemPosition;

  private final DamageRun damage = new DamageRun();

  /**
   * Creates a decoder. A file and a record value are read alike: both are a whole {@code .npy}.
   *
   * @param recordValue whether the bytes are one Kafka record value; it changes nothing but is
   *     taken for symmetry with the other formats
   */
  public NpyDecoder(boolean recordValue) {}

  /**
   * Checks that the first bytes of a file are a {@code .npy} header of a structured array with
   * usable t, x, y and p fields.
   *
   * @param head the first bytes of the file
   * @param length how many of them are valid
   * @param source names the file in the message
   * @throws FormatException if the file is not a usable NumPy event array
   */
  public static void checkHeader(byte[] head, int length, String source) throws FormatException {
    String prefix = source + ": not a NumPy event array: ";
    String problem = preambleProblem(head, Math.min(length, 12));
    if (problem != null) {
      throw new FormatException(prefix + problem);
    }
    if (length < 12) {
      return;
    }
    int major = head[6] & 0xff;
    int start = NpyHeader.preambleBytes(major);
    long headerLength = headerLength(head, major);
    if (headerLength > NpyHeader.MAX_HEADER_BYTES) {
      throw new FormatException(prefix + "its header of " + headerLength + " bytes is too long");
    }
    if (start + headerLength > length) {
      return;
    }
    try {
      NpyHeader.parse(head, start, (int) headerLength);
    } catch (NpyHeader.InvalidHeader e) {
      throw new FormatException(prefix + e.getMessage());
    }
  }

  /** What is wrong with the first bytes, as far as they go; null if nothing (yet). */
  private static String preambleProblem(byte[] head, int length) {
    for (int i = 0; i < Math.min(length, NpyHeader.MAGIC.length); i++) {
      if (head[i] != NpyHeader.MAGIC[i]) {
        String other = Magic.describe(head, length);
        return other != null ? other : "it does not start with the magic \\x93NUMPY";
      }
    }
    if (length > 6) {
      int major = head[6] & 0xff;
      if (major < 1 || major > 3) {
        return "its format version "
            + major
            + "."
            + (length > 7 ? head[7] & 0xff : 0)
            + " is not 1.0, 2.0 or 3.0";
      }
    }
    return null;
  }

  private static long headerLength(byte[] head, int major) {
    if (major == 1) {
      return (head[8] & 0xff) | ((head[9] & 0xff) << 8);
    }
    return ((head[8] & 0xff)
        | ((head[9] & 0xff) << 8)
        | ((head[10] & 0xff) << 16)
        | ((long) (head[11] & 0xff) << 24));
  }

  @Override
  protected void decodeBytes(
      byte[] bytes, int from, int length, long position, AddressEventHandler out) {
    int i = from;
    int end = from + length;
    long base = position - from;
    while (i < end) {
      switch (stage) {
        case PREAMBLE, HEADER -> i = readPrefix(bytes, i, end, base);
        case DATA -> i = readItems(bytes, i, end, base, out);
        case TRAILING -> {
          if (!damage.isOpen()) {
            damage.add(
                base + i,
                base + end,
                "bytes after the last of the header's " + header.count() + " elements");
          } else {
            damage.extendTo(base + end);
          }
          i = end;
        }
        case UNREADABLE -> {
          damage.extendTo(base + end);
          i = end;
        }
      }
    }
  }

  private int readPrefix(byte[] bytes, int i, int end, long base) {
    int want = stage == Stage.PREAMBLE ? 12 : headerEnd;
    int n = Math.min(end - i, want - prefixLength);
    if (prefixLength + n > prefix.length) {
      prefix = Arrays.copyOf(prefix, Math.max(prefixLength + n, prefix.length * 2));
    }
    System.arraycopy(bytes, i, prefix, prefixLength, n);
    prefixLength += n;
    i += n;
    if (stage == Stage.PREAMBLE) {
      String problem = preambleProblem(prefix, prefixLength);
      if (problem != null) {
        unreadable(0, base + i, "not a .npy file: " + problem);
        return i;
      }
      if (prefixLength < 12) {
        return i;
      }
      int major = prefix[6] & 0xff;
      long headerLength = headerLength(prefix, major);
      if (headerLength > NpyHeader.MAX_HEADER_BYTES) {
        unreadable(0, base + i, "the .npy header of " + headerLength + " bytes is too long");
        return i;
      }
      headerEnd = NpyHeader.preambleBytes(major) + (int) headerLength;
      if (headerEnd < 12) {
        // version 1's preamble is 10 bytes; no dict literal fits in the 2 bytes left
        unreadable(0, base + i, "the .npy header of " + headerLength + " bytes is too short");
        return i;
      }
      stage = Stage.HEADER;
    }
    if (prefixLength < headerEnd) {
      return i;
    }
    int start = NpyHeader.preambleBytes(prefix[6] & 0xff);
    try {
      header = NpyHeader.parse(prefix, start, headerEnd - start);
    } catch (NpyHeader.InvalidHeader e) {
      unreadable(0, base + i, "not a usable .npy event array: " + e.getMessage());
      return i;
    }
    itemSize = header.itemSize();
    remaining = header.count();
    item = new byte[itemSize];
    stage = remaining > 0 ? Stage.DATA : Stage.TRAILING;
    return i;
  }

  private void unreadable(long position, long endPosition, String why) {
    stage = Stage.UNREADABLE;
    damage.add(position, endPosition, why + "; nothing decoded");
  }

  private int readItems(byte[] bytes, int i, int end, long base, AddressEventHandler out) {
    if (itemFill > 0) {
      int n = Math.min(end - i, itemSize - itemFill);
      System.arraycopy(bytes, i, item, itemFill, n);
      itemFill += n;
      i += n;
      if (itemFill < itemSize) {
        return i;
      }
      itemFill = 0;
      element(item, 0, itemPosition, out);
    }
    while (remaining > 0 && end - i >= itemSize) {
      element(bytes, i, base + i, out);
      i += itemSize;
    }
    if (remaining == 0) {
      stage = Stage.TRAILING;
      return i;
    }
    if (i < end) {
      itemPosition = base + i;
      itemFill = end - i;
      System.arraycopy(bytes, i, item, 0, itemFill);
      i = end;
    }
    return i;
  }

  private void element(byte[] bytes, int at, long position, AddressEventHandler out) {
    remaining--;
    long t = read(bytes, at, header.t());
    long x = read(bytes, at, header.x());
    long y = read(bytes, at, header.y());
    long p = read(bytes, at, header.p());
    if (x < 0 || y < 0 || x > Integer.MAX_VALUE || y > Integer.MAX_VALUE) {
      if (damage.isOpen()) {
        damage.extendTo(position + itemSize);
      } else {
        damage.add(
            position, position + itemSize, "x " + x + " or y " + y + " is negative or too large");
      }
      return;
    }
    if (damage.isOpen()) {
      damage.flush(out);
    }
    out.event(t, (int) x, (int) y, p > 0 ? 1 : 0, position);
  }

  private static long read(byte[] bytes, int at, NpyHeader.Field field) {
    int from = at + field.offset();
    int size = field.size();
    long value = 0;
    if (field.bigEndian()) {
      for (int k = 0; k < size; k++) {
        value = (value << 8) | (bytes[from + k] & 0xff);
      }
    } else {
      for (int k = size - 1; k >= 0; k--) {
        value = (value << 8) | (bytes[from + k] & 0xff);
      }
    }
    if (field.signed() && size < 8) {
      int shift = 64 - 8 * size;
      value = (value << shift) >> shift;
    }
    return value;
  }

  @Override
  protected void finishStream(long endPosition, AddressEventHandler out) {
    switch (stage) {
      case PREAMBLE, HEADER ->
          damage.add(
              0,
              endPosition,
              String.format(
                  Locale.ROOT,
                  "the stream ends inside the .npy header, after %d bytes",
                  prefixLength));
      case DATA -> {
        long start = itemFill > 0 ? itemPosition : endPosition;
        if (!damage.isOpen()) {
          damage.add(
              start,
              endPosition,
              "the stream ends "
                  + (header.count() - remaining)
                  + " elements into the header's "
                  + header.count());
        } else {
          damage.extendTo(endPosition);
        }
      }
      default -> {}
    }
    damage.flush(out);
  }
}
