package io.spikestream.job.io.aedat4;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.ChunkedDecoder;
import io.spikestream.job.io.camera.DamageRun;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.Magic;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes iniVation AEDAT 4.0 files, as DV writes them for DVXplorer and DAVIS cameras.
 *
 * <p>Layout (iniVation's "AEDAT 4.0" page and its flatbuffers schemas): the 14 bytes {@code
 * #!AER-DAT4.0\r\n}; a size-prefixed {@code IOHeader} flatbuffer (compression NONE, LZ4, LZ4_HIGH,
 * ZSTD or ZSTD_HIGH for every packet; {@code dataTablePosition}, -1 when the file has no data
 * table; an XML {@code infoNode} declaring the streams, see {@link Aedat4Streams}); then packets,
 * each an int32 stream id, an int32 body size in bytes and the body: one LZ4 or ZSTD frame (or the
 * raw bytes) holding a size-prefixed flatbuffer with a four-character identifier. Packets of {@code
 * EVTS} streams are {@code EventPacket}s of {@code Event {t: int64 µs, x, y: int16, on: bool}}; t
 * is reported as recorded (absolute, Unix time in µs), no offset added. Packets of other streams
 * (frames, IMU, triggers) are skipped without being decompressed. The {@code FileDataTable} at
 * {@code dataTablePosition} only indexes the packets, so decoding stops there; files without one
 * (interrupted recordings) are read to their end.
 *
 * <p>Damage, decoding going on where the format allows: a packet header naming a stream the header
 * does not declare, a negative or oversized size, or a body not starting as the compression
 * requires (LZ4 frame magic, ZSTD frame magic, or, uncompressed, a size prefix matching the body);
 * a body that fails to decompress, holds bytes after its frame, or does not parse as an {@code
 * EVTS} flatbuffer; events with a negative or out-of-sensor x or y; the stream ending inside a
 * packet. After a damaged packet the decoder resynchronises by scanning forward, byte by byte from
 * the damaged packet's body, for the next plausible packet header (a declared stream id, a size in
 * range and a body that starts as the compression requires); the bytes skipped are one damage run.
 * A wrong magic, an unreadable {@code IOHeader} or an unknown compression makes the whole stream
 * one damaged run. An info node that does not parse is reported; packets are then told apart by
 * their flatbuffer identifiers.
 *
 * <p>A Kafka record value holds a complete small AEDAT 4 stream: magic, header, packets.
 */
public final class Aedat4Decoder extends ChunkedDecoder {

  /** The first 14 bytes of every AEDAT 4.0 file. */
  public static final byte[] MAGIC = "#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Largest IOHeader accepted, in bytes. */
  static final int MAX_HEADER_BYTES = 16 << 20;

  /** Largest packet body accepted, in bytes (DV writes packets of a few KiB to a few MiB). */
  static final int MAX_PACKET_BYTES = 256 << 20;

  /** Largest decompressed packet accepted, in bytes. */
  static final int MAX_INFLATED_BYTES = 512 << 20;

  static final int NONE = 0;
  static final int LZ4 = 1;
  static final int LZ4_HIGH = 2;
  static final int ZSTD = 3;
  static final int ZSTD_HIGH = 4;
  private static final String[] COMPRESSION_NAMES = {
    "NONE", "LZ4", "LZ4_HIGH", "ZSTD", "ZSTD_HIGH"
  };

  private static final byte[] LZ4_FRAME_MAGIC = {0x04, 0x22, 0x4D, 0x18};
  private static final byte[] ZSTD_FRAME_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
  private static final String EVENTS = "EVTS";

  /** Bytes a packet-header check looks at: the 8-byte header and the first 12 of the body. */
  private static final int HEADER_CHECK_BYTES = 20;

  private enum Stage {
    MAGIC,
    HEADER_SIZE,
    HEADER,
    PACKETS,
    DATA_TABLE,
    UNREADABLE
  }

  private Stage stage = Stage.MAGIC;
  private int headerSize;

  private int compression;
  private long dataTablePosition = -1;

  /** Declared streams by id; null when the info node could not be read. */
  private Map<Integer, Aedat4Streams.Stream> streams;

  /** Bytes received and not yet consumed: buffer[0, length) starts at stream offset bufferStart. */
  private byte[] buffer = new byte[64 * 1024];

  private int length;
  private long bufferStart;

  /** Index in buffer of the next unparsed byte. */
  private int cursor;

  private boolean resyncing;

  private byte[] inflated = new byte[64 * 1024];
  private final DamageRun damage = new DamageRun();

  /**
   * Creates a decoder. A file and a record value are read alike: both are whole AEDAT 4 streams.
   *
   * @param recordValue whether the bytes are one Kafka record value; it changes nothing but is
   *     taken for symmetry with the other formats
   */
  public Aedat4Decoder(boolean recordValue) {}

  /**
   * Checks that the first bytes of a file are an AEDAT 4.0 file: its magic and, if within {@code
   * head}, an {@code IOHeader} that parses with a known compression.
   *
   * @param head the first bytes of the file
   * @param length how many of them are valid
   * @param source names the file in the message
   * @throws FormatException if the file is not an AEDAT 4.0 file
   */
  public static void checkHeader(byte[] head, int length, String source) throws FormatException {
    String prefix = source + ": not an AEDAT 4.0 file: ";
    int n = Math.min(length, MAGIC.length);
    if (!Arrays.equals(head, 0, n, MAGIC, 0, n)) {
      String other = Magic.describe(head, length);
      throw new FormatException(
          prefix + (other != null ? other : "it does not start with #!AER-DAT4.0"));
    }
    if (length < MAGIC.length + 4) {
      return;
    }
    int size = intAt(head, MAGIC.length);
    if (size < 12 || size > MAX_HEADER_BYTES) {
      throw new FormatException(prefix + "its IOHeader size " + size + " is not plausible");
    }
    if (MAGIC.length + 4 + size > length) {
      return;
    }
    try {
      Aedat4Tables.IoHeader header =
          new Aedat4Tables.IoHeader(Aedat4Tables.buffer(head, MAGIC.length + 4, size));
      int compression = header.compression();
      if (compression < NONE || compression > ZSTD_HIGH) {
        throw new FormatException(
            prefix + "its IOHeader names the unknown compression " + compression);
      }
    } catch (RuntimeException e) {
      throw new FormatException(prefix + "its IOHeader does not parse (" + e.getMessage() + ")");
    }
  }

  private static int intAt(byte[] bytes, int at) {
    return (bytes[at] & 0xff)
        | ((bytes[at + 1] & 0xff) << 8)
        | ((bytes[at + 2] & 0xff) << 16)
        | ((bytes[at + 3] & 0xff) << 24);
  }

  private static long longAt(byte[] bytes, int at) {
    return (intAt(bytes, at) & 0xffff_ffffL) | ((long) intAt(bytes, at + 4) << 32);
  }

  @Override
  protected void decodeBytes(
      byte[] bytes, int from, int count, long position, AddressEventHandler out) {
    int i = from;
    int end = from + count;
    if (stage == Stage.UNREADABLE) {
      damage.extendTo(position + count);
      return;
    }
    if (stage == Stage.DATA_TABLE) {
      return;
    }
    append(bytes, i, end - i);
    parse(out, false);
    compact();
  }

  @Override
  protected void finishStream(long endPosition, AddressEventHandler out) {
    if (stage != Stage.UNREADABLE && stage != Stage.DATA_TABLE) {
      parse(out, true);
    }
    damage.flush(out);
  }

  private void append(byte[] bytes, int from, int n) {
    if (length + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(length + n, buffer.length * 2));
    }
    System.arraycopy(bytes, from, buffer, length, n);
    length += n;
  }

  private void compact() {
    if (cursor == 0) {
      return;
    }
    System.arraycopy(buffer, cursor, buffer, 0, length - cursor);
    length -= cursor;
    bufferStart += cursor;
    cursor = 0;
    if (buffer.length > (1 << 20) && length < buffer.length / 4) {
      buffer = Arrays.copyOf(buffer, Math.max(64 * 1024, length * 2));
    }
  }

  private long positionOf(int index) {
    return bufferStart + index;
  }

  private void parse(AddressEventHandler out, boolean atEnd) {
    while (true) {
      int available = length - cursor;
      switch (stage) {
        case MAGIC -> {
          int n = Math.min(available, MAGIC.length);
          if (!Arrays.equals(buffer, cursor, cursor + n, MAGIC, 0, n)) {
            unreadable("the stream does not start with #!AER-DAT4.0");
            return;
          }
          if (available < MAGIC.length) {
            if (atEnd) {
              unreadable("the stream ends inside the #!AER-DAT4.0 magic");
            }
            return;
          }
          cursor += MAGIC.length;
          stage = Stage.HEADER_SIZE;
        }
        case HEADER_SIZE -> {
          if (available < 4) {
            if (atEnd) {
              unreadable("the stream ends before the IOHeader");
            }
            return;
          }
          headerSize = intAt(buffer, cursor);
          if (headerSize < 12 || headerSize > MAX_HEADER_BYTES) {
            unreadable("the IOHeader size " + headerSize + " is not plausible");
            return;
          }
          cursor += 4;
          stage = Stage.HEADER;
        }
        case HEADER -> {
          if (available < headerSize) {
            if (atEnd) {
              unreadable("the stream ends inside the IOHeader of " + headerSize + " bytes");
            }
            return;
          }
          if (!readHeader(cursor)) {
            return;
          }
          cursor += headerSize;
          stage = Stage.PACKETS;
          if (dataTablePosition >= 0 && dataTablePosition < positionOf(cursor)) {
            damageAt(
                positionOf(cursor - headerSize),
                positionOf(cursor),
                "the IOHeader's data table position "
                    + dataTablePosition
                    + " lies inside the header; ignored");
            dataTablePosition = -1;
          }
        }
        case PACKETS -> {
          if (!packet(out, atEnd)) {
            return;
          }
        }
        case DATA_TABLE, UNREADABLE -> {
          cursor = length;
          return;
        }
      }
    }
  }

  private boolean readHeader(int at) {
    String info;
    try {
      Aedat4Tables.IoHeader header =
          new Aedat4Tables.IoHeader(Aedat4Tables.buffer(buffer, at, headerSize));
      compression = header.compression();
      dataTablePosition = header.dataTablePosition();
      info = header.infoNode();
    } catch (RuntimeException e) {
      unreadable(
          "the IOHeader does not parse as a flatbuffer (an offset or length points outside its "
              + headerSize
              + " bytes)");
      return false;
    }
    if (compression < NONE || compression > ZSTD_HIGH) {
      unreadable("the IOHeader names the unknown compression " + compression);
      return false;
    }
    try {
      streams = Aedat4Streams.parse(info == null ? "" : info);
    } catch (IllegalArgumentException e) {
      streams = null;
      damageAt(
          positionOf(at),
          positionOf(at + headerSize),
          "the IOHeader's " + e.getMessage() + "; packets told apart by their identifiers");
    }
    return true;
  }

  private void unreadable(String why) {
    stage = Stage.UNREADABLE;
    damageAt(positionOf(cursor), positionOf(length), why + "; nothing decoded");
    cursor = length;
  }

  private void damageAt(long position, long end, String why) {
    if (damage.isOpen()) {
      damage.extendTo(end);
    } else {
      damage.add(position, end, why);
    }
  }

  /**
   * Reads the packet at the cursor (or resynchronises). Returns false when more bytes are needed
   * (or the stream is done).
   */
  private boolean packet(AddressEventHandler out, boolean atEnd) {
    long here = positionOf(cursor);
    if (dataTablePosition >= 0 && here == dataTablePosition) {
      stage = Stage.DATA_TABLE;
      cursor = length;
      return false;
    }
    int available = length - cursor;
    if (available == 0) {
      return false;
    }
    if (resyncing) {
      return resync(atEnd);
    }
    if (available < 8) {
      if (atEnd) {
        damageAt(here, positionOf(length), "the stream ends inside a packet header");
        cursor = length;
      }
      return false;
    }
    int streamId = intAt(buffer, cursor);
    int size = intAt(buffer, cursor + 4);
    String problem = headerProblem(cursor, atEnd);
    if (problem == null) {
      return false; // wait for the body's first bytes
    }
    if (!problem.isEmpty()) {
      damageAt(here, here + 1, problem);
      startResync(cursor + 1);
      return true;
    }
    if (damage.isOpen()) {
      // a plausible packet header ends the damaged run before it
      damage.flush(out);
    }
    if (dataTablePosition >= 0 && here < dataTablePosition && here + 8 + size > dataTablePosition) {
      damageAt(
          here,
          here,
          "the IOHeader's data table position "
              + dataTablePosition
              + " falls inside the packet at "
              + here
              + "; ignored");
      dataTablePosition = -1;
    }
    if (available < 8 + size) {
      if (atEnd) {
        // a truncated file, or a size that lies: look for packets inside what is there
        damageAt(
            here,
            here + 8,
            "the stream ends inside the packet at "
                + here
                + " ("
                + (available - 8)
                + " of its "
                + size
                + " bytes)");
        startResync(cursor + 8);
        return true;
      }
      return false;
    }
    String type = streamType(streamId);
    if (type != null && !type.equals(EVENTS)) {
      // frames, IMU samples, triggers: skipped without decompressing
      cursor += 8 + size;
      if (damage.isOpen()) {
        damage.flush(out);
      }
      return true;
    }
    String failure = eventPacket(streamId, cursor + 8, size, here, type != null, out);
    if (failure != null) {
      damageAt(
          here, here + 8 + size, "packet at " + here + " of stream " + streamId + ": " + failure);
      startResync(cursor + 8);
      return true;
    }
    cursor += 8 + size;
    return true;
  }

  private String streamType(int streamId) {
    if (streams == null) {
      return null;
    }
    Aedat4Streams.Stream stream = streams.get(streamId);
    return stream == null ? null : stream.type();
  }

  /**
   * Whether the packet header at {@code at} is plausible: "" if so, a reason if not, null if more
   * bytes are needed to tell.
   */
  private String headerProblem(int at, boolean atEnd) {
    int available = length - at;
    int streamId = intAt(buffer, at);
    int size = intAt(buffer, at + 4);
    if (streams != null && !streams.containsKey(streamId)) {
      return "packet header names stream " + streamId + ", which the IOHeader does not declare";
    }
    if (streams == null && streamId < 0) {
      return "packet header names the negative stream id " + streamId;
    }
    if (size <= 0 || size > MAX_PACKET_BYTES) {
      return "packet header gives the implausible body size " + size;
    }
    int need = compression == NONE ? Math.min(size, 12) : Math.min(size, 4);
    if (available < 8 + need) {
      return atEnd ? "the stream ends inside the packet header at " + positionOf(at) : null;
    }
    int body = at + 8;
    switch (compression) {
      case LZ4, LZ4_HIGH -> {
        if (!startsWith(body, LZ4_FRAME_MAGIC)) {
          return "packet body does not start with the LZ4 frame magic";
        }
      }
      case ZSTD, ZSTD_HIGH -> {
        if (!startsWith(body, ZSTD_FRAME_MAGIC)) {
          return "packet body does not start with the ZSTD frame magic";
        }
      }
      default -> {
        // uncompressed, the body is the size-prefixed flatbuffer itself: its prefix is exact
        // and its identifier names the stream's type
        if (size < 12 || intAt(buffer, body) != size - 4) {
          return "uncompressed packet body does not start with the size prefix " + (size - 4);
        }
        String identifier = new String(buffer, body + 8, 4, StandardCharsets.ISO_8859_1);
        String declared = streamType(streamId);
        if (declared != null ? !declared.equals(identifier) : !identifier.matches("[A-Z0-9]{4}")) {
          return "uncompressed packet body holds '"
              + printable(identifier)
              + "' data, not the stream's "
              + (declared != null ? declared : "type");
        }
      }
    }
    return "";
  }

  private boolean startsWith(int at, byte[] magic) {
    return length - at >= magic.length
        && Arrays.equals(buffer, at, at + magic.length, magic, 0, magic.length);
  }

  private void startResync(int from) {
    resyncing = true;
    cursor = from;
  }

  /** Scans for the next plausible packet header; false when more bytes are needed. */
  private boolean resync(boolean atEnd) {
    while (cursor < length) {
      long here = positionOf(cursor);
      if (dataTablePosition >= 0 && here == dataTablePosition) {
        resyncing = false;
        return true;
      }
      if (length - cursor < HEADER_CHECK_BYTES && !atEnd) {
        return false;
      }
      if (length - cursor >= 8) {
        String problem = headerProblem(cursor, atEnd);
        if (problem != null && problem.isEmpty()) {
          resyncing = false;
          return true;
        }
      }
      damage.extendTo(here + 1);
      cursor++;
    }
    return false;
  }

  /**
   * Decompresses and reads one event packet; null if it read cleanly, else what failed.
   *
   * @param declared whether the stream is declared as EVTS (else unknown: other identifiers are
   *     skipped quietly)
   */
  private String eventPacket(
      int streamId,
      int bodyAt,
      int size,
      long packetPosition,
      boolean declared,
      AddressEventHandler out) {
    byte[] data;
    int dataLength;
    if (compression == NONE) {
      data = buffer;
      dataLength = size;
    } else {
      try {
        dataLength = inflate(bodyAt, size);
      } catch (IOException | RuntimeException e) {
        return "body does not decompress as "
            + COMPRESSION_NAMES[compression]
            + " ("
            + e.getMessage()
            + ")";
      }
      if (dataLength < 0) {
        return "body decompresses to more than " + MAX_INFLATED_BYTES + " bytes";
      }
      data = inflated;
      bodyAt = 0;
    }
    if (dataLength < 12) {
      return "its flatbuffer of " + dataLength + " bytes is too short";
    }
    long prefix = intAt(data, bodyAt) & 0xffff_ffffL;
    if (prefix > dataLength - 4) {
      return "its flatbuffer's size prefix " + prefix + " exceeds the " + dataLength + " bytes";
    }
    String identifier = new String(data, bodyAt + 8, 4, StandardCharsets.ISO_8859_1);
    if (!identifier.equals(EVENTS)) {
      if (!declared) {
        return null;
      }
      return "it holds '" + printable(identifier) + "' data, not EVTS events";
    }
    Aedat4Streams.Stream stream = streams == null ? null : streams.get(streamId);
    int sizeX = 0;
    int sizeY = 0;
    if (stream != null) {
      sizeX = stream.sizeX();
      sizeY = stream.sizeY();
    }
    int start;
    int count;
    int base = bodyAt + 4;
    try {
      ByteBuffer flatbuffer = Aedat4Tables.buffer(data, base, (int) prefix);
      Aedat4Tables.EventPacket packet = new Aedat4Tables.EventPacket(flatbuffer);
      count = packet.elementsLength();
      start = count == 0 ? 0 : packet.elementsStart();
    } catch (RuntimeException e) {
      // flatbuffers-java does not verify: a damaged buffer fails as a bounds check (its message
      // names indexes into this decoder's buffers, so it is left out to keep reports the same
      // however the stream was split)
      return "it does not parse as an EventPacket flatbuffer (an offset or length points outside its "
          + prefix
          + " bytes)";
    }
    if (damage.isOpen()) {
      damage.flush(out);
    }
    int at = base + start;
    for (int k = 0; k < count; k++, at += Aedat4Tables.EVENT_STRUCT_BYTES) {
      long t = longAt(data, at);
      int x = (short) ((data[at + 8] & 0xff) | (data[at + 9] << 8));
      int y = (short) ((data[at + 10] & 0xff) | (data[at + 11] << 8));
      int on = data[at + 12] != 0 ? 1 : 0;
      if (x < 0 || y < 0 || (sizeX > 0 && x >= sizeX) || (sizeY > 0 && y >= sizeY)) {
        damageAt(
            packetPosition,
            packetPosition + 8 + size,
            "packet at "
                + packetPosition
                + ": event at x "
                + x
                + ", y "
                + y
                + (sizeX > 0 ? " outside the " + sizeX + "x" + sizeY + " sensor" : " is negative"));
        continue;
      }
      if (damage.isOpen()) {
        damage.flush(out);
      }
      out.event(t, x, y, on, packetPosition);
    }
    return null;
  }

  private static String printable(String identifier) {
    StringBuilder out = new StringBuilder();
    for (char c : identifier.toCharArray()) {
      out.append(
          c >= 0x20 && c < 0x7f
              ? String.valueOf(c)
              : String.format(Locale.ROOT, "\\x%02X", (int) c));
    }
    return out.toString();
  }

  /** Decompresses the body into {@link #inflated}; returns its length, or -1 if too large. */
  private int inflate(int bodyAt, int size) throws IOException {
    if (compression == LZ4 || compression == LZ4_HIGH) {
      Lz4Frames.Output output =
          Lz4Frames.decompress(buffer, bodyAt, size, inflated, MAX_INFLATED_BYTES);
      inflated = output.bytes();
      return output.length();
    }
    ByteArrayInputStream source = new ByteArrayInputStream(buffer, bodyAt, size);
    int total = 0;
    try (InputStream in = new ZstdInputStreamNoFinalizer(source)) {
      while (true) {
        if (total == inflated.length) {
          if (inflated.length >= MAX_INFLATED_BYTES) {
            return -1;
          }
          inflated = Arrays.copyOf(inflated, Math.min(MAX_INFLATED_BYTES, inflated.length * 2));
        }
        int n = in.read(inflated, total, inflated.length - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
    }
    if (source.available() > 0) {
      throw new IOException(source.available() + " bytes after the end of the ZSTD frame");
    }
    return total;
  }
}
