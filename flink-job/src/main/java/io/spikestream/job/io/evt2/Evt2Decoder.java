package io.spikestream.job.io.evt2;

import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.ChunkedDecoder;
import io.spikestream.job.io.camera.DamageRun;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.PropheseeHeader;
import io.spikestream.job.io.evt3.Evt3Decoder;
import java.util.Locale;

/**
 * Decodes Prophesee EVT 2.0: 32-bit little-endian words, type in bits 31..28. {@code CD_OFF} (0x0)
 * and {@code CD_ON} (0x1) are one event each: the low 6 bits of its timestamp in bits 27..22, x in
 * 21..11, y in 10..0. {@code EVT_TIME_HIGH} (0x8) carries the timestamp's upper 28 bits in bits
 * 27..0, so t = high &lt;&lt; 6 | low, in µs, a 34-bit time that rolls over after 2^34 µs (4 h 46
 * min). External triggers (0xA), {@code OTHERS} (0xE), {@code CONTINUED} (0xF) and IMU words (0xD,
 * named in Prophesee's SDK headers) carry no address events and are skipped.
 *
 * <p>Time: a {@code EVT_TIME_HIGH} lower than the previous one by at least half its 28-bit range
 * counts one rollover of 2^34 µs, so timestamps keep growing; a smaller step back is reported as
 * damage and then followed.
 *
 * <p>Damage, once per run of consecutive bad words, decoding going on at the next word: a reserved
 * word type (0x2..0x7, 0x9, 0xB, 0xC); a CD word before the first {@code EVT_TIME_HIGH}; x or y
 * outside the header's geometry (x, y are 11 bits, so 0..2047 without one); a time high stepping
 * back without rollover; a partial word at the end; header lines past {@value
 * PropheseeHeader#MAX_BYTES} bytes.
 *
 * <p>A file starts with its {@code %} header lines. A Kafka record value holds words only, no
 * header, starting with an {@code EVT_TIME_HIGH}; CD words before it are damage.
 */
public final class Evt2Decoder extends ChunkedDecoder {

  private static final int CD_OFF = 0x0;
  private static final int CD_ON = 0x1;
  private static final int TIME_HIGH = 0x8;
  private static final int EXT_TRIGGER = 0xA;
  private static final int IMU = 0xD;
  private static final int OTHERS = 0xE;
  private static final int CONTINUED = 0xF;

  /** Period of the 34-bit timestamp, in µs: 2^34 µs, about 4 h 46 min. */
  public static final long TIME_PERIOD_US = 1L << 34;

  /** A step back of the 28-bit time high by at least this much is a rollover, not a glitch. */
  private static final int WRAP_THRESHOLD = 1 << 27;

  private static final int ADDRESS_RANGE = 2048;

  private PropheseeHeader.Reader headerReader;
  private int width = ADDRESS_RANGE;
  private int height = ADDRESS_RANGE;

  private final byte[] joinedWord = new byte[4];
  private int pendingCount;
  private long pendingPosition;

  private boolean haveTimeHigh;
  private int timeHigh;
  private long wraps;

  /** (wraps &lt;&lt; 34) | (timeHigh &lt;&lt; 6): what the 6 low bits of a CD word are added to. */
  private long timeBase;

  private final DamageRun damage = new DamageRun();

  /**
   * Creates a decoder.
   *
   * @param recordValue true to decode one Kafka record value (words only, no header); false to
   *     decode a whole {@code .raw} file, header first
   */
  public Evt2Decoder(boolean recordValue) {
    headerReader = recordValue ? null : new PropheseeHeader.Reader();
  }

  /**
   * Checks that the first bytes of a file can be an EVT 2.0 recording: its {@code %} header, if
   * any, must not name another encoding or be a DAT header, and the file must not start with
   * another format's magic number. A file without any header passes.
   *
   * @param head the first bytes of the file
   * @param length how many of them are valid
   * @param source names the file in the message
   * @throws FormatException if the file is not an EVT 2.0 recording
   */
  public static void checkHeader(byte[] head, int length, String source) throws FormatException {
    String problem = Evt3Decoder.headerProblem(head, length, "evt 2.0", "format evt2");
    if (problem != null) {
      throw new FormatException(source + ": not an EVT 2.0 file: " + problem);
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
    if (pendingCount > 0) {
      while (pendingCount < 4 && i < end) {
        joinedWord[pendingCount++] = bytes[i++];
      }
      if (pendingCount < 4) {
        return;
      }
      pendingCount = 0;
      decodeWords(joinedWord, 0, 4, pendingPosition, out);
    }
    i = decodeWords(bytes, i, end, base, out);
    if (i < end) {
      pendingPosition = base + i;
      while (i < end) {
        joinedWord[pendingCount++] = bytes[i++];
      }
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
    if (pendingCount > 0) {
      pendingCount = 0;
      if (!damage.isOpen()) {
        damage.add(pendingPosition, endPosition, "the stream ends inside a 32-bit word");
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

  private int decodeWords(byte[] bytes, int i, int end, long base, AddressEventHandler out) {
    final int last = end - 3;
    for (; i < last; i += 4) {
      final int word =
          (bytes[i] & 0xff)
              | ((bytes[i + 1] & 0xff) << 8)
              | ((bytes[i + 2] & 0xff) << 16)
              | ((bytes[i + 3] & 0xff) << 24);
      switch (word >>> 28) {
        case CD_OFF, CD_ON -> {
          int x = (word >>> 11) & 0x7ff;
          int y = word & 0x7ff;
          if (haveTimeHigh && x < width && y < height) {
            if (damage.isOpen()) {
              damage.flush(out);
            }
            out.event(timeBase | ((word >>> 22) & 0x3f), x, y, word >>> 28, base + i);
          } else {
            badEvent(x, y, base + i);
          }
        }
        case TIME_HIGH -> timeHigh(word & 0x0fff_ffff, base + i, out);
        case EXT_TRIGGER, OTHERS, CONTINUED, IMU -> {
          if (damage.isOpen()) {
            damage.flush(out);
          }
        }
        default -> reservedWord(word >>> 28, base + i);
      }
    }
    return i;
  }

  private void timeHigh(int high, long position, AddressEventHandler out) {
    boolean steppedBack = false;
    int previous = timeHigh;
    if (haveTimeHigh && high < timeHigh) {
      if (timeHigh - high >= WRAP_THRESHOLD) {
        wraps++;
      } else {
        steppedBack = true;
      }
    }
    haveTimeHigh = true;
    timeHigh = high;
    timeBase = (wraps << 34) | ((long) high << 6);
    if (!steppedBack) {
      if (damage.isOpen()) {
        damage.flush(out);
      }
    } else if (damage.isOpen()) {
      damage.extendTo(position + 4);
    } else {
      damage.add(
          position,
          position + 4,
          "EVT_TIME_HIGH went back from "
              + previous
              + " to "
              + high
              + " without rollover; followed");
    }
  }

  private void badEvent(int x, int y, long position) {
    if (damage.isOpen()) {
      damage.extendTo(position + 4);
      return;
    }
    String why;
    if (!haveTimeHigh) {
      why = "CD event before the first EVT_TIME_HIGH";
    } else if (x >= width) {
      why = "CD event at x " + x + outside("width", width);
    } else {
      why = "CD event at y " + y + outside("height", height);
    }
    damage.add(position, position + 4, why);
  }

  private void reservedWord(int type, long position) {
    if (damage.isOpen()) {
      damage.extendTo(position + 4);
    } else {
      damage.add(
          position, position + 4, String.format(Locale.ROOT, "reserved word type 0x%X", type));
    }
  }

  private String outside(String dimension, int limit) {
    return limit == ADDRESS_RANGE
        ? " outside the format's range 0.." + (ADDRESS_RANGE - 1)
        : " outside the header's " + dimension + " " + limit;
  }
}
