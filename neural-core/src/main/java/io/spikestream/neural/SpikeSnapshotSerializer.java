package io.spikestream.neural;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo 5 serializer of an {@link ExactNeuron}'s {@link SpikeSnapshot} in format version 1: a
 * versioned header and the spikes bit-packed, about {@code B * count / 8} bytes in all. Kept so
 * that state written with it stays readable and writable as it was; {@link
 * NeuronSnapshotSerializer} reads this format too and writes every model.
 *
 * <p>Format, version 1:
 *
 * <pre>
 *   byte      format version (1)
 *   varint    rank of the batched shape, 1..32
 *   varlong   each size of the batched shape, > 0
 *   long[]    ceil(B * count / 64) words, little-endian bit order (see NeuronSnapshot)
 * </pre>
 *
 * A stream of another version, an invalid shape or stray bits fail with a {@link KryoException}
 * that says what was read.
 */
public final class SpikeSnapshotSerializer extends Serializer<SpikeSnapshot> {

  /** The format version this serializer writes. */
  public static final int VERSION = 1;

  /** The most dimensions a batched shape may have in a serialized snapshot. */
  public static final int MAX_RANK = NeuronSnapshotSerializer.MAX_RANK;

  /** Creates the serializer; snapshots are immutable, so Kryo's copy returns the same object. */
  public SpikeSnapshotSerializer() {
    setImmutable(true);
    setAcceptsNull(false);
  }

  /** Writes the snapshot in this serializer's format version. */
  @Override
  public void write(Kryo kryo, Output output, SpikeSnapshot snapshot) {
    output.writeByte(VERSION);
    NeuronSnapshotSerializer.writeShapeAndSpikes(output, snapshot);
  }

  /**
   * Reads a snapshot of a format version this serializer reads.
   *
   * @throws KryoException on an unknown version or model, an invalid shape or corrupt bits
   */
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
    return NeuronSnapshotSerializer.readExact(input);
  }
}
