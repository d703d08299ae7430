package io.spikestream.neural;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo 5 serializer of {@link SpikeSnapshot}: a versioned header and the spikes bit-packed, about
 * {@code B * count / 8} bytes in all.
 *
 * <p>Format, version 1:
 *
 * <pre>
 *   byte      format version (1)
 *   varint    rank of the batched shape, 1..32
 *   varlong   each size of the batched shape, > 0
 *   long[]    ceil(B * count / 64) words, little-endian bit order (see SpikeSnapshot)
 * </pre>
 *
 * A stream of another version, an invalid shape or stray bits fail with a {@link KryoException}
 * that says what was read.
 */
public final class SpikeSnapshotSerializer extends Serializer<SpikeSnapshot> {

  /** The format version this serializer writes. */
  public static final int VERSION = 1;

  /** The most dimensions a batched shape may have in a serialized snapshot. */
  public static final int MAX_RANK = 32;

  /** Creates the serializer; snapshots are immutable, so Kryo's copy returns the same object. */
  public SpikeSnapshotSerializer() {
    setImmutable(true);
    setAcceptsNull(false);
  }

  @Override
  public void write(Kryo kryo, Output output, SpikeSnapshot snapshot) {
    output.writeByte(VERSION);
    long[] shape = snapshot.batchedShape();
    output.writeVarInt(shape.length, true);
    for (long size : shape) {
      output.writeVarLong(size, true);
    }
    long[] words = snapshot.words();
    output.writeLongs(words, 0, words.length);
  }

  @Override
  public SpikeSnapshot read(Kryo kryo, Input input, Class<? extends SpikeSnapshot> type) {
    int version = input.readByte();
    if (version != VERSION) {
      throw new KryoException(
          "spike snapshot format version "
              + version
              + " is not supported (this reads "
              + VERSION
              + ")");
    }
    int rank = input.readVarInt(true);
    if (rank < 1 || rank > MAX_RANK) {
      throw new KryoException("spike snapshot rank " + rank + " is out of [1, " + MAX_RANK + "]");
    }
    long[] shape = new long[rank];
    long neurons = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = input.readVarLong(true);
      if (shape[i] <= 0 || neurons > Neuron.MAX_NEURONS / shape[i]) {
        throw new KryoException(
            "spike snapshot size " + shape[i] + " at dimension " + i + " is invalid");
      }
      neurons *= shape[i];
    }
    long[] words = input.readLongs(SpikeSnapshot.wordsFor(neurons));
    try {
      return SpikeSnapshot.owning(shape, words);
    } catch (IllegalArgumentException e) {
      throw new KryoException("corrupt spike snapshot: " + e.getMessage(), e);
    }
  }
}
