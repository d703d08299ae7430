package io.spikestream.job.io.dat;

import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.ChunkedDecoder;
import io.spikestream.job.io.camera.DamageRun;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.Magic;
import io.spikestream.job.io.camera.PropheseeHeader;
import java.util.Locale;

/**
 * Decodes Prophesee DAT files of CD events: {@code %} header lines (see {@link PropheseeHeader}),
 * then two bytes, the event type (0x0C {@code EventCD}, or 0x00 {@code Event2d}) and the event size
 * (8), then 8-byte little-endian events: a uint32 timestamp in µs, and a uint32 with x in bits
 * 0..13, y in bits 14..27 and the polarity in bits 28..31.
 *
 * <p>Time: the timestamps are 32 bits, rolling over after 2^32 µs (71.6 min); a timestamp lower
 * than the previous one by at least 2^31 µs counts one rollover, so timestamps keep growing. A
 * smaller step back is passed on as written (each event carries its whole time).
 *
 * <p>Damage, once per run of consecutive bad events, decoding going on at the next event: a
 * polarity other than 0 or 1; x or y outside the header's {@code Width} / {@code Height} (outside
 * the 14-bit range without them); a partial event at the end. An event type other than 0x0C or 0x00
 * (0x0E is a file of external triggers) or a size other than 8 makes the whole rest one damaged
 * run, since the events cannot then be delimited.
 *
 * <p>A Kafka record value holds 8-byte CD events only: no header, no type and size bytes.
 */
public final class DatDecoder extends ChunkedDecoder {

  /** Size in bytes of one DAT event. */
  public static final int EVENT_BYTES = 8;

  private static final int TYPE_EVENT_2D = 0x00;
  private static final int TYPE_EVENT_CD = 0x0C;
  private static final int TYPE_EXT_TRIGGER = 0x0E;
  private static final int ADDRESS_RANGE = 1 << 14;
  private static final long WRAP_THRESHOLD = 1L << 31;

  private PropheseeHeader.Reader headerReader;

  /** Type and size bytes still to read: 2 in a file after its header, 0 in a record value. */
  private int typeBytesToRead;

  private int typeByte;
  private boolean unreadable;
  private int width = ADDRESS_RANGE;
  private int height = ADDRESS_RANGE;

  private final byte[] joined = new byte[EVENT_BYTES];
  private int pendingCount;
  private long pendingPosition;

  private long previousLow = -1;
  private long wraps;

  private final DamageRun damage = new DamageRun();

  /**
   * Creates a decoder.
   *
   * @param recordValue true to decode one Kafka record value (8-byte events only); false to decode
   *     a whole {@code .dat} file, header, type and size first
   */
  public DatDecoder(boolean recordValue) {
    headerReader = recordValue ? null : new PropheseeHeader.Reader();
    typeBytesToRead = recordValue ? 0 : 2;
  }

  /**
   * Checks that the first bytes of a file can be a DAT file of CD events: its {@code %} header must
   * not name an EVT encoding (that is a RAW file), and the type and size bytes after it, if within
   * {@code head}, must be 0x0C or 0x00 and 8.
   *
   * @param head the first bytes of the file
   * @param length how many of them are valid
   * @param source names the file in the message
   * @throws FormatException if the file is not a DAT file of CD events
   */
  public static void checkHeader(byte[] head, int length, String source) throws FormatException {
    String prefix = source + ": not a DAT file of CD events: ";
    String other = Magic.describe(head, length);
    if (other != null) {
      throw new FormatException(prefix + other);
    }
    PropheseeHeader header = PropheseeHeader.parse(head, length, true);
    if (header == null) {
      throw new FormatException(
          prefix + "its % header lines run past " + PropheseeHeader.MAX_BYTES + " bytes");
    }
    String claim = header.encodingClaim();
    if (claim != null) {
      throw new FormatException(prefix + "its header says " + claim + " (a RAW recording)");
    }
    int at = header.byteLength();
    if (at < length) {
      int type = head[at] & 0xff;
      if (type == TYPE_EXT_TRIGGER) {
        throw new FormatException(prefix + "its event type is 0x0E (external triggers)");
      }
      if (type != TYPE_EVENT_CD && type != TYPE_EVENT_2D) {
        throw new FormatException(
            prefix
                + String.format(
                    Locale.ROOT, "its event type byte is 0x%02X; expected 0x0C (or 0x00)", type));
      }
    }
    if (at + 1 < length && (head[at + 1] & 0xff) != EVENT_BYTES) {
      throw new FormatException(
          prefix + "its event size byte is " + (head[at + 1] & 0xff) + "; expected 8");
    }
  }

  @Override
  protected void decodeBytes(
      byte[] bytes, int from, int length, long position, AddressEventHandler out) {
    int i = from;
    int end = from + length;
    long base = position - from;
    if (headerReader != null) {
      int dataStart = headerReader.feed(bytes, i, end);
      if (dataStart < 0) {
        return;
      }
      useHeader(base + dataStart);
      i = dataStart;
    }
    while (typeBytesToRead > 0 && i < end) {
      typeByte(bytes[i] & 0xff, base + i);
      i++;
    }
    if (i == end) {
      return;
    }
    if (unreadable) {
      damage.extendTo(base + end);
      return;
    }
    if (pendingCount > 0) {
      while (pendingCount < EVENT_BYTES && i < end) {
        joined[pendingCount++] = bytes[i++];
      }
      if (pendingCount < EVENT_BYTES) {
        return;
      }
      pendingCount = 0;
      decodeEvents(joined, 0, EVENT_BYTES, pendingPosition, out);
    }
    i = decodeEvents(bytes, i, end, base, out);
    if (i < end) {
      pendingPosition = base + i;
      while (i < end) {
        joined[pendingCount++] = bytes[i++];
      }
    }
  }

  private void typeByte(int value, long position) {
    if (typeBytesToRead == 2) {
      typeByte = value;
      if (value != TYPE_EVENT_CD && value != TYPE_EVENT_2D) {
        unreadable = true;
        damage.add(
            position,
            position + 1,
            value == TYPE_EXT_TRIGGER
                ? "event type 0x0E: a file of external triggers, not CD events; nothing decoded"
                : String.format(
                    Locale.ROOT,
                    "event type 0x%02X, expected 0x0C (or 0x00); nothing decoded",
                    value));
      }
    } else if (value != EVENT_BYTES && !unreadable) {
      unreadable = true;
      damage.add(position, position + 1, "event size " + value + ", expected 8; nothing decoded");
    } else if (unreadable) {
      damage.extendTo(position + 1);
    }
    typeBytesToRead--;
  }

  @Override
  protected void finishStream(long endPosition, AddressEventHandler out) {
    if (headerReader != null) {
      boolean cut = headerReader.endedInsideLine();
      headerReader.finish();
      useHeader(endPosition);
      if (cut) {
        damage.add(endPosition, endPosition, "the stream ends inside a % header line");
      }
    }
    if (typeBytesToRead > 0) {
      damage.add(endPosition, endPosition, "the stream ends before the event type and size bytes");
    }
    if (pendingCount > 0) {
      pendingCount = 0;
      damage.add(pendingPosition, endPosition, "the stream ends inside an 8-byte event");
    }
    damage.flush(out);
  }

  private void useHeader(long dataPosition) {
    PropheseeHeader header = headerReader.header(dataPosition, damage);
    headerReader = null;
    width = header.widthWithin(ADDRESS_RANGE, width);
    height = header.heightWithin(ADDRESS_RANGE, height);
  }

  private int decodeEvents(byte[] bytes, int i, int end, long base, AddressEventHandler out) {
    final int last = end - EVENT_BYTES;
    for (; i <= last; i += EVENT_BYTES) {
      long low =
          ((bytes[i] & 0xff)
                  | ((bytes[i + 1] & 0xff) << 8)
                  | ((bytes[i + 2] & 0xff) << 16)
                  | ((bytes[i + 3] & 0xff) << 24))
              & 0xffff_ffffL;
      int address =
          (bytes[i + 4] & 0xff)
              | ((bytes[i + 5] & 0xff) << 8)
              | ((bytes[i + 6] & 0xff) << 16)
              | ((bytes[i + 7] & 0xff) << 24);
      int x = address & 0x3fff;
      int y = (address >>> 14) & 0x3fff;
      int polarity = address >>> 28;
      if (polarity > 1 || x >= width || y >= height) {
        badEvent(x, y, polarity, base + i);
        continue;
      }
      if (low < previousLow && previousLow - low >= WRAP_THRESHOLD) {
        wraps++;
      }
      previousLow = low;
      if (damage.isOpen()) {
        damage.flush(out);
      }
      out.event((wraps << 32) | low, x, y, polarity, base + i);
    }
    return i;
  }

  private void badEvent(int x, int y, int polarity, long position) {
    if (damage.isOpen()) {
      damage.extendTo(position + EVENT_BYTES);
      return;
    }
    String why;
    if (polarity > 1) {
      why = "polarity " + polarity + " (bits 28..31) is neither 0 nor 1";
    } else if (x >= width) {
      why = "x " + x + outside("Width", width);
    } else {
      why = "y " + y + outside("Height", height);
    }
    damage.add(position, position + EVENT_BYTES, why);
  }

  private String outside(String dimension, int limit) {
    return limit == ADDRESS_RANGE
        ? " outside the 14-bit range"
        : " outside the header's " + dimension + " " + limit;
  }

  /**
   * The event type byte of the file (0x0C or 0x00), once read.
   *
   * @return the type byte, or 0 before it was read or in a record value
   */
  public int eventType() {
    return typeByte;
  }
}
