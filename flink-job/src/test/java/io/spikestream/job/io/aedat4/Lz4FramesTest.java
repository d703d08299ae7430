package io.spikestream.job.io.aedat4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;

class Lz4FramesTest {

  /** Compressible data of {@code size} bytes: repeats with variations, like event packets. */
  private static byte[] data(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    byte[] motif = new byte[40];
    random.nextBytes(motif);
    for (int i = 0; i < size; i++) {
      data[i] = random.nextInt(10) == 0 ? (byte) random.nextInt() : motif[i % motif.length];
    }
    return data;
  }

  private static byte[] independent(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LZ4FrameOutputStream frame =
        new LZ4FrameOutputStream(
            out,
            LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
            LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
      frame.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] linked(byte[] data, boolean checksums) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FramedLZ4CompressorOutputStream frame =
        new FramedLZ4CompressorOutputStream(
            out,
            new FramedLZ4CompressorOutputStream.Parameters(
                FramedLZ4CompressorOutputStream.BlockSize.K64, checksums, checksums, true))) {
      frame.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] decompress(byte[] frame) throws IOException {
    Lz4Frames.Output output = Lz4Frames.decompress(frame, 0, frame.length, new byte[16], 1 << 24);
    return Arrays.copyOf(output.bytes(), output.length());
  }

  @Test
  void shouldDecompressIndependentAndLinkedFramesOfOneOrManyBlocks() throws IOException {
    for (int size : new int[] {0, 1, 100, 65536, 140_000}) {
      byte[] data = data(size, size);
      assertThat(decompress(independent(data))).as("independent, %d bytes", size).isEqualTo(data);
      assertThat(decompress(linked(data, true))).as("linked, %d bytes", size).isEqualTo(data);
      assertThat(decompress(linked(data, false))).as("linked, %d bytes", size).isEqualTo(data);
    }
  }

  @Test
  void shouldRejectDamagedFrames() throws IOException {
    byte[] frame = linked(data(1000, 1), true);
    byte[] badChecksum = frame.clone();
    badChecksum[frame.length / 2] ^= 1;
    assertThatThrownBy(() -> decompress(badChecksum))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum does not match");
    byte[] trailing = Arrays.copyOf(frame, frame.length + 3);
    assertThatThrownBy(() -> decompress(trailing))
        .hasMessage("3 bytes after the end of the LZ4 frame");
    byte[] cut = Arrays.copyOf(frame, frame.length - 6);
    assertThatThrownBy(() -> decompress(cut)).isInstanceOf(IOException.class);
    byte[] descriptor = frame.clone();
    descriptor[4] ^= 0x08;
    assertThatThrownBy(() -> decompress(descriptor))
        .hasMessage("LZ4 frame descriptor checksum does not match");
    assertThatThrownBy(() -> decompress(new byte[] {1, 2, 3, 4, 5, 6, 7}))
        .hasMessage("not an LZ4 frame (no magic)");
  }

  @Test
  void shouldRefuseToGrowPastTheLimit() throws IOException {
    byte[] frame = independent(new byte[200_000]);
    assertThatThrownBy(() -> Lz4Frames.decompress(frame, 0, frame.length, new byte[16], 100_000))
        .hasMessage("LZ4 frame decompresses to more than 100000 bytes");
  }
}
