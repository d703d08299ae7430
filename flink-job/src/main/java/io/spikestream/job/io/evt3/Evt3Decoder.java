package io.spikestream.job.io.evt3;

import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.ChunkedDecoder;
import io.spikestream.job.io.camera.DamageRun;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.Magic;
import io.spikestream.job.io.camera.PropheseeHeader;
import java.util.Locale;

/**
 * Decodes Prophesee EVT 3.0, the IMX636's default encoding: 16-bit little-endian words whose top
 * four bits give the word type. The decoder carries the state the format is built on: the row
 * ({@code ADDR_Y}), the vector base column and polarity ({@code VECT_BASE_X}) and the 24-bit time
 * base ({@code TIME_HIGH} bits 23..12, {@code TIME_LOW} bits 11..0, in µs).
 *
 * <p>Words: {@code ADDR_X} is one event at the current row and time; {@code VECT_12} and {@code
 * VECT_8} carry a mask of events at columns base_x .. base_x + 11 (or + 7), bit 0 first, and then
 * advance base_x by 12 (or 8), so an IMX636's VECT_12, VECT_12, VECT_8 triplet covers 32 columns.
 * External triggers ({@code EXT_TRIGGER}), monitoring words ({@code OTHERS} with their {@code
 * CONTINUED_12} / {@code CONTINUED_4} payload) and IMU words (type 0xD, named in Prophesee's SDK
 * headers) carry no address events and are skipped.
 *
 * <p>Time: only the time base wraps. A {@code TIME_HIGH} that is lower than the previous one by at
 * least half its 12-bit range (2048 × 4096 µs) counts one wrap of 2^24 µs = 16.777216 s; a smaller
 * step back is reported as damage and then followed. A {@code TIME_HIGH} with a new value resets
 * the low 12 bits to 0 until the next {@code TIME_LOW}. A {@code TIME_LOW} lower than the previous
 * one is not a wrap: the sensor does emit such words, and counting them as wraps stretches a
 * recording's time.
 *
 * <p>Damage, each reported once per run of consecutive bad words, decoding going on at the next
 * word: a reserved word type (0x1, 0x9, 0xB, 0xC; the row is then forgotten, since the word may
 * have been a damaged {@code ADDR_Y}); an event before the first {@code TIME_HIGH}, before any
 * {@code ADDR_Y}, or (vectors) before any {@code VECT_BASE_X}; a row or column outside the header's
 * geometry (outside 0..2047 when the header gives none); a {@code TIME_HIGH} stepping back without
 * a wrap; a trailing odd byte; header lines running past {@value PropheseeHeader#MAX_BYTES} bytes.
 *
 * <p>A file starts with its {@code %} header lines (see {@link PropheseeHeader}). A Kafka record
 * value holds words only, no header: a {@code TIME_HIGH} (and usually a {@code TIME_LOW}) first,
 * then an {@code ADDR_Y} before the first {@code ADDR_X} or vector, as a sensor's stream restarted
 * at that point would be; events before them are damage.
 */
public final class Evt3Decoder extends ChunkedDecoder {

  private static final int ADDR_Y = 0x0;
  private static final int ADDR_X = 0x2;
  private static final int VECT_BASE_X = 0x3;
  private static final int VECT_12 = 0x4;
  private static final int VECT_8 = 0x5;
  private static final int TIME_LOW = 0x6;
  private static final int CONTINUED_4 = 0x7;
  private static final int TIME_HIGH = 0x8;
  private static final int EXT_TRIGGER = 0xA;
  private static final int IMU = 0xD;
  private static final int OTHERS = 0xE;
  private static final int CONTINUED_12 = 0xF;

  /** Period of the 24-bit time base, in µs: 2^24 = 16,777,216 µs. */
  public static final long TIME_BASE_PERIOD_US = 1L << 24;

  /** A step back of the 12-bit TIME_HIGH by at least this much is a wrap, not a glitch. */
  private static final int WRAP_THRESHOLD = 1 << 11;

  /** Coordinates are 11 bits: the format's own limit when the header gives no geometry. */
  private static final int ADDRESS_RANGE = 2048;

  private PropheseeHeader.Reader headerReader;
  private int width = ADDRESS_RANGE;
  private int height = ADDRESS_RANGE;

  private final byte[] joinedWord = new byte[2];
  private int pendingByte = -1;
  private long pendingPosition;

  private boolean haveTimeHigh;
  private boolean haveY;
  private boolean haveBaseX;
  private boolean eventsReady;
  private int timeHigh;
  private int timeLow;
  private long wraps;
  private long time;
  private int y;
  private int baseX;
  private int vectorPolarity;

  private final DamageRun damage = new DamageRun();

  /**
   * Creates a decoder.
   *
   * @param recordValue true to decode one Kafka record value (words only, no header); false to
   *     decode a whole {@code .raw} file, header first
   */
  public Evt3Decoder(boolean recordValue) {
    headerReader = recordValue ? null : new PropheseeHeader.Reader();
  }

  /**
   * Checks that the first bytes of a file can be an EVT 3.0 recording: its {@code %} header, if
   * any, must not name another encoding ({@code % evt 2.0}, {@code % format EVT21}) or be a DAT
   * header, and the file must not start with another format's magic number. A file without any
   * header passes (older tools wrote none).
   *
   * @param head the first bytes of the file
   * @param length how many of them are valid (at most the whole file)
   * @param source names the file in the message
   * @throws FormatException if the file is not an EVT 3.0 recording
   */
  public static void checkHeader(byte[] head, int length, String source) throws FormatException {
    String problem = headerProblem(head, length, "evt 3.0", "format evt3");
    if (problem != null) {
      throw new FormatException(source + ": not an EVT 3.0 file: " + problem);
    }
  }

  /**
   * The shared check of a Prophesee RAW header, used for EVT 2.0 and EVT 3.0.
   *
   * @param head first bytes
   * @param length valid bytes
   * @param evtClaim the accepted {@code evt} line, lower case, e.g. {@code "evt 3.0"}
   * @param formatClaim the accepted {@code format} line, lower case, e.g. {@code "format evt3"}
   * @return what is wrong, or null if the header fits
   */
  public static String headerProblem(byte[] head, int length, String evtClaim, String formatClaim) {
    String other = Magic.describe(head, length);
    if (other != null) {
      return other;
    }
    PropheseeHeader header = PropheseeHeader.parse(head, length, true);
    if (header == null) {
      return "its % header lines run past " + PropheseeHeader.MAX_BYTES + " bytes";
    }
    if (header.lines().isEmpty()) {
      // every RAW recording starts with its header; without one, any bytes would decode as
      // words, and a file of another kind would run as a stream of damage
      return "it has no '%' header lines (a RAW recording starts with lines such as '% "
          + evtClaim
          + "')";
    }
    String claim = header.encodingClaim();
    if (claim != null) {
      String lower = claim.toLowerCase(Locale.ROOT);
      return lower.equals(evtClaim) || lower.equals(formatClaim)
          ? null
          : "its header says " + claim;
    }
    if (header.isDatHeader()) {
      return "its header is a DAT file's ('% Data file containing "
          + header.value("Data file containing")
          + "')";
    }
    return null;
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
    if (pendingByte >= 0 && i < end) {
      joinedWord[0] = (byte) pendingByte;
      joinedWord[1] = bytes[i];
      pendingByte = -1;
      decodeWords(joinedWord, 0, 2, pendingPosition, out);
      i++;
    }
    i = decodeWords(bytes, i, end, base, out);
    if (i < end) {
      pendingByte = bytes[i] & 0xff;
      pendingPosition = base + i;
    }
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
    if (pendingByte >= 0) {
      pendingByte = -1;
      if (!damage.isOpen()) {
        damage.add(pendingPosition, endPosition, "the stream ends inside a 16-bit word");
      } else {
        damage.extendTo(endPosition);
      }
    }
    damage.flush(out);
  }

  private void useHeader(long dataPosition) {
    PropheseeHeader header = headerReader.header(dataPosition, damage);
    headerReader = null;
    width = header.widthWithin(ADDRESS_RANGE, width);
    height = header.heightWithin(ADDRESS_RANGE, height);
  }

  /**
   * The inner loop: decodes whole words of {@code bytes[i, end)}.
   *
   * @return index of a trailing odd byte, or {@code end}
   */
  private int decodeWords(byte[] bytes, int i, int end, long base, AddressEventHandler out) {
    final int last = end - 1;
    for (; i < last; i += 2) {
      final int word = (bytes[i] & 0xff) | ((bytes[i + 1] & 0xff) << 8);
      switch (word >>> 12) {
        case ADDR_X -> {
          int x = word & 0x7ff;
          if (eventsReady && x < width) {
            if (damage.isOpen()) {
              damage.flush(out);
            }
            out.event(time, x, y, (word >>> 11) & 1, base + i);
          } else {
            badEventWord(x, base + i);
          }
        }
        case VECT_12 -> vector(word & 0xfff, 12, base + i, out);
        case VECT_8 -> vector(word & 0xff, 8, base + i, out);
        case ADDR_Y -> addrY(word & 0x7ff, base + i, out);
        case VECT_BASE_X -> {
          baseX = word & 0x7ff;
          vectorPolarity = (word >>> 11) & 1;
          haveBaseX = true;
          validWord(out);
        }
        case TIME_LOW -> {
          timeLow = word & 0xfff;
          time = (wraps << 24) | ((long) timeHigh << 12) | timeLow;
          validWord(out);
        }
        case TIME_HIGH -> timeHigh(word & 0xfff, base + i, out);
        case EXT_TRIGGER, OTHERS, CONTINUED_12, CONTINUED_4, IMU -> validWord(out);
        default -> reservedWord(word >>> 12, base + i);
      }
    }
    return i;
  }

  private void validWord(AddressEventHandler out) {
    if (damage.isOpen()) {
      damage.flush(out);
    }
  }

  private void vector(int mask, int width12or8, long position, AddressEventHandler out) {
    int first = baseX;
    baseX = first + width12or8;
    if (!eventsReady || !haveBaseX) {
      badVector(position);
      return;
    }
    if (damage.isOpen()) {
      damage.flush(out);
    }
    if (first + width12or8 <= width) {
      long t = time;
      int row = y;
      int polarity = vectorPolarity;
      while (mask != 0) {
        out.event(t, first + Integer.numberOfTrailingZeros(mask), row, polarity, position);
        mask &= mask - 1;
      }
      return;
    }
    while (mask != 0) {
      int x = first + Integer.numberOfTrailingZeros(mask);
      mask &= mask - 1;
      if (x < width) {
        out.event(time, x, y, vectorPolarity, position);
      } else if (!damage.isOpen()) {
        damage.add(position, position + 2, "vector event at x " + x + outside("width", width));
      }
    }
  }

  private void addrY(int row, long position, AddressEventHandler out) {
    if (row < height) {
      y = row;
      haveY = true;
      eventsReady = haveTimeHigh;
      validWord(out);
    } else {
      haveY = false;
      eventsReady = false;
      if (!damage.isOpen()) {
        damage.add(position, position + 2, "ADDR_Y of row " + row + outside("height", height));
      } else {
        damage.extendTo(position + 2);
      }
    }
  }

  private void timeHigh(int high, long position, AddressEventHandler out) {
    boolean steppedBack = false;
    if (haveTimeHigh) {
      if (high < timeHigh) {
        if (timeHigh - high >= WRAP_THRESHOLD) {
          wraps++;
        } else {
          steppedBack = true;
        }
      }
      if (high != timeHigh) {
        timeLow = 0;
      }
    } else {
      haveTimeHigh = true;
      eventsReady = haveY;
      timeLow = 0;
    }
    int previous = timeHigh;
    timeHigh = high;
    time = (wraps << 24) | ((long) high << 12) | timeLow;
    if (steppedBack) {
      if (!damage.isOpen()) {
        damage.add(
            position,
            position + 2,
            "TIME_HIGH went back from "
                + previous
                + " to "
                + high
                + " (a wrap steps back by at least "
                + WRAP_THRESHOLD
                + "); followed");
      } else {
        damage.extendTo(position + 2);
      }
    } else {
      validWord(out);
    }
  }

  private void badEventWord(int x, long position) {
    if (damage.isOpen()) {
      damage.extendTo(position + 2);
      return;
    }
    String why;
    if (!haveTimeHigh) {
      why = "ADDR_X before the first TIME_HIGH";
    } else if (!haveY) {
      why = "ADDR_X before any ADDR_Y";
    } else {
      why = "ADDR_X at x " + x + outside("width", width);
    }
    damage.add(position, position + 2, why);
  }

  private void badVector(long position) {
    if (damage.isOpen()) {
      damage.extendTo(position + 2);
      return;
    }
    String why;
    if (!haveTimeHigh) {
      why = "vector word before the first TIME_HIGH";
    } else if (!haveY) {
      why = "vector word before any ADDR_Y";
    } else {
      why = "vector word before any VECT_BASE_X";
    }
    damage.add(position, position + 2, why);
  }

  private void reservedWord(int type, long position) {
    haveY = false;
    eventsReady = false;
    if (damage.isOpen()) {
      damage.extendTo(position + 2);
    } else {
      damage.add(
          position, position + 2, String.format(Locale.ROOT, "reserved word type 0x%X", type));
    }
  }

  private String outside(String dimension, int limit) {
    return limit == ADDRESS_RANGE
        ? " outside the format's range 0.." + (ADDRESS_RANGE - 1)
        : " outside the header's " + dimension + " " + limit;
  }
}
