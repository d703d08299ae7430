package io.spikestream.job.io.aedat4;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * Decompresses one LZ4 frame (the LZ4 frame format: magic 0x184D2204, a descriptor with flags,
 * block maximum size, optional content size and its checksum byte, then blocks each preceded by its
 * 32-bit size, the top bit marking a stored block, an end mark, optional block and content
 * checksums).
 *
 * <p>The container is walked here and each block is decompressed by lz4-java. DV writes frames
 * whose blocks are linked (a block may copy from the 64 KiB before it), which lz4-java's own frame
 * reader refuses; a frame's first block cannot refer back, so the frames of ordinary packets, one
 * block each, decode here at lz4-java's speed. A later block that refers to an earlier one makes
 * lz4-java's bounds-checked block decompressor fail (it never reads before the block's start), and
 * such a frame is then decoded again by commons-compress's frame reader, which follows links but is
 * about a hundred times slower.
 */
final class Lz4Frames {

  private static final int MAGIC = 0x184D2204;
  private static final LZ4SafeDecompressor BLOCKS = LZ4Factory.fastestInstance().safeDecompressor();
  private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

  private Lz4Frames() {}

  /** The output of {@link #decompress}: a buffer (possibly grown) and the bytes in it. */
  record Output(byte[] bytes, int length) {}

  /**
   * Decompresses the frame that must fill {@code in[from, from + length)} exactly.
   *
   * @param out buffer to decompress into; a larger one is returned if it is too small
   * @param maxBytes most decompressed bytes accepted
   * @throws IOException naming what is wrong with the frame
   */
  static Output decompress(byte[] in, int from, int length, byte[] out, int maxBytes)
      throws IOException {
    int end = from + length;
    if (length < 7 || intAt(in, from) != MAGIC) {
      throw new IOException("not an LZ4 frame (no magic)");
    }
    int flags = in[from + 4] & 0xff;
    int blockDescriptor = in[from + 5] & 0xff;
    if ((flags >>> 6) != 1) {
      throw new IOException("LZ4 frame version " + (flags >>> 6) + " is not 1");
    }
    if ((flags & 0x03) != 0 || (blockDescriptor & 0x8f) != 0) {
      throw new IOException("LZ4 frame descriptor has reserved bits set or a dictionary id");
    }
    boolean linked = (flags & 0x20) == 0;
    boolean blockChecksums = (flags & 0x10) != 0;
    boolean contentSize = (flags & 0x08) != 0;
    boolean contentChecksum = (flags & 0x04) != 0;
    int sizeCode = (blockDescriptor >>> 4) & 0x07;
    if (sizeCode < 4) {
      throw new IOException("LZ4 frame block size code " + sizeCode + " is not 4..7");
    }
    int maxBlock = 1 << (8 + 2 * sizeCode);
    int descriptorEnd = from + 6 + (contentSize ? 8 : 0);
    if (descriptorEnd >= end) {
      throw new IOException("LZ4 frame ends inside its descriptor");
    }
    int headerChecksum = (XXHASH.hash(in, from + 4, descriptorEnd - from - 4, 0) >>> 8) & 0xff;
    if ((in[descriptorEnd] & 0xff) != headerChecksum) {
      throw new IOException("LZ4 frame descriptor checksum does not match");
    }
    int at = descriptorEnd + 1;
    int total = 0;
    int blocks = 0;
    while (true) {
      if (at + 4 > end) {
        throw new IOException("LZ4 frame ends before its end mark");
      }
      int word = intAt(in, at);
      at += 4;
      if (word == 0) {
        break;
      }
      boolean stored = word < 0;
      int size = word & 0x7fff_ffff;
      if (size > maxBlock || at + size + (blockChecksums ? 4 : 0) > end) {
        throw new IOException("LZ4 block of " + size + " bytes runs past the frame");
      }
      if (blockChecksums && XXHASH.hash(in, at, size, 0) != intAt(in, at + size)) {
        throw new IOException("LZ4 block checksum does not match");
      }
      if (total > maxBytes - maxBlock) {
        throw new IOException("LZ4 frame decompresses to more than " + maxBytes + " bytes");
      }
      if (out.length < total + maxBlock) {
        out = Arrays.copyOf(out, Math.max(total + maxBlock, Math.min(maxBytes, out.length * 2)));
      }
      if (stored) {
        System.arraycopy(in, at, out, total, size);
        total += size;
      } else {
        try {
          total += BLOCKS.decompress(in, at, size, out, total, maxBlock);
        } catch (LZ4Exception e) {
          if (linked && blocks > 0) {
            return withLinks(in, from, length, out, maxBytes);
          }
          throw new IOException("LZ4 block does not decompress (" + e.getMessage() + ")");
        }
      }
      at += size + (blockChecksums ? 4 : 0);
      blocks++;
    }
    if (contentChecksum) {
      if (at + 4 > end) {
        throw new IOException("LZ4 frame ends before its content checksum");
      }
      if (XXHASH.hash(out, 0, total, 0) != intAt(in, at)) {
        throw new IOException("LZ4 content checksum does not match");
      }
      at += 4;
    }
    if (at != end) {
      throw new IOException((end - at) + " bytes after the end of the LZ4 frame");
    }
    return new Output(out, total);
  }

  /** The slow path for frames whose later blocks refer to earlier ones. */
  private static Output withLinks(byte[] in, int from, int length, byte[] out, int maxBytes)
      throws IOException {
    ByteArrayInputStream source = new ByteArrayInputStream(in, from, length);
    int total = 0;
    try (InputStream frame = new FramedLZ4CompressorInputStream(source, false)) {
      while (true) {
        if (total == out.length) {
          if (out.length >= maxBytes) {
            throw new IOException("LZ4 frame decompresses to more than " + maxBytes + " bytes");
          }
          out = Arrays.copyOf(out, Math.min(maxBytes, out.length * 2));
        }
        int n = frame.read(out, total, out.length - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
    }
    if (source.available() > 0) {
      throw new IOException(source.available() + " bytes after the end of the LZ4 frame");
    }
    return new Output(out, total);
  }

  private static int intAt(byte[] bytes, int at) {
    return (bytes[at] & 0xff)
        | ((bytes[at + 1] & 0xff) << 8)
        | ((bytes[at + 2] & 0xff) << 16)
        | ((bytes[at + 3] & 0xff) << 24);
  }
}
