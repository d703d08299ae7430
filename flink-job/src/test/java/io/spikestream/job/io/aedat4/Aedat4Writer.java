package io.spikestream.job.io.aedat4;

import com.github.luben.zstd.ZstdOutputStream;
import com.google.flatbuffers.FlatBufferBuilder;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;

/**
 * Test encoder of AEDAT 4.0, written from iniVation's description and schemas: flatbuffers built
 * with flatbuffers-java's own {@link FlatBufferBuilder} (not the decoder's accessors), LZ4 frames
 * from lz4-java (independent blocks, compression LZ4) or commons-compress (linked blocks with
 * checksums, as DV writes them; compression LZ4_HIGH), ZSTD frames from zstd-jni.
 */
final class Aedat4Writer {

  /** The IOHeader compressions, each with the library that writes its frames here. */
  enum Compression {
    NONE(0),
    LZ4(1),
    LZ4_HIGH(2),
    ZSTD(3),
    ZSTD_HIGH(4);

    final int code;

    Compression(int code) {
      this.code = code;
    }
  }

  /** A declared stream: id, type identifier and sensor size. */
  record Stream(int id, String type, int sizeX, int sizeY) {}

  private final Compression compression;
  private final List<Stream> streams;
  private final ByteArrayOutputStream file = new ByteArrayOutputStream();
  private final int headerSizeAt;
  private final int headerSize;
  private final List<long[]> table = new ArrayList<>();

  Aedat4Writer(Compression compression, List<Stream> streams) {
    this(compression, streams, infoNode(streams));
  }

  Aedat4Writer(Compression compression, List<Stream> streams, String infoNode) {
    this.compression = compression;
    this.streams = streams;
    file.writeBytes("#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII));
    headerSizeAt = file.size();
    byte[] header = ioHeader(compression.code, -1, infoNode);
    headerSize = header.length;
    file.writeBytes(header);
    this.infoNode = infoNode;
  }

  private final String infoNode;

  static String infoNode(List<Stream> streams) {
    StringBuilder xml =
        new StringBuilder(
            "<dv version=\"2.0\">\n    <node name=\"outInfo\" path=\"/mainloop/Recorder/outInfo/\">\n");
    for (Stream s : streams) {
      xml.append("        <node name=\"")
          .append(s.id())
          .append("\" path=\"/mainloop/Recorder/outInfo/")
          .append(s.id())
          .append("/\">\n")
          .append("            <attr key=\"compression\" type=\"string\">LZ4</attr>\n")
          .append("            <attr key=\"typeIdentifier\" type=\"string\">")
          .append(s.type())
          .append("</attr>\n");
      if (s.sizeX() > 0) {
        xml.append("            <node name=\"info\" path=\"/x/\">\n")
            .append("                <attr key=\"sizeX\" type=\"int\">")
            .append(s.sizeX())
            .append("</attr>\n")
            .append("                <attr key=\"sizeY\" type=\"int\">")
            .append(s.sizeY())
            .append("</attr>\n")
            .append(
                "                <attr key=\"tsOffset\" type=\"long\">1605537493718345</attr>\n")
            .append("            </node>\n");
      }
      xml.append("        </node>\n");
    }
    return xml.append("    </node>\n</dv>\n").toString();
  }

  /** A size-prefixed IOHeader flatbuffer, all fields present (as DV forces defaults). */
  static byte[] ioHeader(int compression, long dataTablePosition, String infoNode) {
    FlatBufferBuilder b = new FlatBufferBuilder(1024).forceDefaults(true);
    int info = b.createString(infoNode);
    b.startTable(3);
    b.addLong(1, dataTablePosition, -1);
    b.addOffset(2, info, 0);
    b.addInt(0, compression, 0);
    int root = b.endTable();
    b.finishSizePrefixed(root, "IOHE");
    return b.sizedByteArray();
  }

  /** A size-prefixed EventPacket flatbuffer. */
  static byte[] eventPacket(List<Event> events) {
    FlatBufferBuilder b = new FlatBufferBuilder(64 + 16 * events.size());
    b.startVector(16, events.size(), 8);
    for (int i = events.size() - 1; i >= 0; i--) {
      Event e = events.get(i);
      // struct Event { t: int64; x: int16; y: int16; on: bool; } written back to front
      b.prep(8, 16);
      b.pad(3);
      b.putBoolean(e.p() == 1);
      b.putShort((short) e.y());
      b.putShort((short) e.x());
      b.putLong(e.t());
    }
    int vector = b.endVector();
    b.startTable(1);
    b.addOffset(0, vector, 0);
    int root = b.endTable();
    b.finishSizePrefixed(root, "EVTS");
    return b.sizedByteArray();
  }

  /** A size-prefixed flatbuffer of another stream type: a table with one byte vector. */
  static byte[] otherPacket(String identifier, byte[] payload) {
    FlatBufferBuilder b = new FlatBufferBuilder(64 + payload.length);
    int vector = b.createByteVector(payload);
    b.startTable(2);
    b.addLong(0, 1605537493718345L, 0);
    b.addOffset(1, vector, 0);
    int root = b.endTable();
    b.finishSizePrefixed(root, identifier);
    return b.sizedByteArray();
  }

  byte[] compress(byte[] flatbuffer) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      OutputStream stream =
          switch (compression) {
            case NONE -> out;
            case LZ4 -> new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB);
            case LZ4_HIGH ->
                new FramedLZ4CompressorOutputStream(
                    out,
                    new FramedLZ4CompressorOutputStream.Parameters(
                        FramedLZ4CompressorOutputStream.BlockSize.K64, true, true, true));
            case ZSTD -> new ZstdOutputStream(out, 3);
            case ZSTD_HIGH -> new ZstdOutputStream(out, 19);
          };
      stream.write(flatbuffer);
      stream.close();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Offset the next packet will start at. */
  int position() {
    return file.size();
  }

  Aedat4Writer events(int streamId, List<Event> events) {
    long first = events.isEmpty() ? 0 : events.get(0).t();
    long last = events.isEmpty() ? 0 : events.get(events.size() - 1).t();
    table.add(new long[] {file.size() + 8L, streamId, 0, events.size(), first, last});
    return packet(streamId, compress(eventPacket(events)));
  }

  Aedat4Writer other(int streamId, String identifier, byte[] payload) {
    table.add(new long[] {file.size() + 8L, streamId, 0, 1, 0, 0});
    return packet(streamId, compress(otherPacket(identifier, payload)));
  }

  Aedat4Writer packet(int streamId, byte[] body) {
    return raw(streamId, body.length, body);
  }

  /** A packet header with any size, then any body bytes. */
  Aedat4Writer raw(int streamId, int size, byte[] body) {
    writeInt(streamId);
    writeInt(size);
    file.writeBytes(body);
    return this;
  }

  Aedat4Writer bytes(byte[] bytes) {
    file.writeBytes(bytes);
    return this;
  }

  private void writeInt(int value) {
    for (int k = 0; k < 4; k++) {
      file.write(value >>> (8 * k));
    }
  }

  /** The file without a data table, as an interrupted recording leaves it. */
  byte[] withoutDataTable() {
    return file.toByteArray();
  }

  /** The file closed as DV closes it: a compressed FileDataTable, its position in the header. */
  byte[] withDataTable() {
    long position = file.size();
    FlatBufferBuilder b = new FlatBufferBuilder(1024).forceDefaults(true);
    int[] definitions = new int[table.size()];
    for (int i = 0; i < table.size(); i++) {
      long[] row = table.get(i);
      b.startTable(5);
      b.addLong(0, row[0], 0);
      b.addLong(2, row[3], 0);
      b.addLong(3, row[4], 0);
      b.addLong(4, row[5], 0);
      b.prep(4, 8);
      b.putInt((int) row[2]);
      b.putInt((int) row[1]);
      b.addStruct(1, b.offset(), 0);
      definitions[i] = b.endTable();
    }
    b.startVector(4, definitions.length, 4);
    for (int i = definitions.length - 1; i >= 0; i--) {
      b.addOffset(definitions[i]);
    }
    int vector = b.endVector();
    b.startTable(1);
    b.addOffset(0, vector, 0);
    int root = b.endTable();
    b.finishSizePrefixed(root, "FTAB");
    byte[] tableBytes = compress(b.sizedByteArray());
    byte[] out = file.toByteArray();
    byte[] header = ioHeader(compression.code, position, infoNode);
    if (header.length != headerSize) {
      throw new IllegalStateException("the IOHeader changed size when its table position was set");
    }
    System.arraycopy(header, 0, out, headerSizeAt, header.length);
    ByteArrayOutputStream closed = new ByteArrayOutputStream();
    closed.writeBytes(out);
    closed.writeBytes(tableBytes);
    return closed.toByteArray();
  }

  List<Stream> streams() {
    return streams;
  }
}
