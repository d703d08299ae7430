package io.spikestream.neural;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Kryo 5 serializer of every {@link NeuronSnapshot}: a versioned header naming the model and its
 * batched shape, the spikes bit-packed and the float32 state raw. Register it for each concrete
 * class (or as the default serializer of {@code NeuronSnapshot}); it writes format version 2 and
 * reads versions 1 and 2, so state written by {@link SpikeSnapshotSerializer} still reads.
 *
 * <p>Format, version 2 (n = B * count neurons, count the product of the shape without the batch):
 *
 * <pre>
 *   byte      format version (2)
 *   byte      model: 1 ExactNeuron, 2 LIF, 3 ALIF
 *   varint    rank of the batched shape, 1..32
 *   varlong   each size of the batched shape, > 0
 *   varint    ALIF only: K, the adaptations per neuron, 1..2^31-9 / count
 *   long[]    ceil(n / 64) words of spikes, bit i % 64 of word i / 64 for neuron i
 *   int[]     LIF and ALIF: n voltages (mV), then n refractory periods (ms), as raw float32 bits
 *   int[]     ALIF only: count * K threshold adaptations (mV), (N..., K) c-order, raw float32 bits
 * </pre>
 *
 * Fixed-width values are in Kryo's byte order (little-endian). Version 1 is version 2 of an
 * ExactNeuron without the model byte (see {@link SpikeSnapshotSerializer}). A LIF group of n
 * neurons takes 8n + n/8 bytes and a header of a few bytes. A stream of an unknown version or
 * model, an invalid shape or stray spike bits fail with a {@link KryoException} that says what was
 * read.
 */
public final class NeuronSnapshotSerializer extends Serializer<NeuronSnapshot> {

  /** The format version this serializer writes. */
  public static final int VERSION = 2;

  /** The most dimensions a batched shape may have in a serialized snapshot. */
  public static final int MAX_RANK = 32;

  private static final int EXACT = 1;
  private static final int LIF_MODEL = 2;
  private static final int ALIF_MODEL = 3;

  /** Creates the serializer; snapshots are immutable, so Kryo's copy returns the same object. */
  public NeuronSnapshotSerializer() {
    setImmutable(true);
    setAcceptsNull(false);
  }

  /**
   * Registers this serializer for every concrete snapshot class.
   *
   * @param kryo the Kryo instance to register with
   */
  public static void registerAll(Kryo kryo) {
    NeuronSnapshotSerializer serializer = new NeuronSnapshotSerializer();
    kryo.register(SpikeSnapshot.class, serializer);
    kryo.register(LIFSnapshot.class, serializer);
    kryo.register(ALIFSnapshot.class, serializer);
  }

  /** Writes the snapshot in this serializer's format version. */
  @Override
  public void write(Kryo kryo, Output output, NeuronSnapshot snapshot) {
    output.writeByte(VERSION);
    if (snapshot instanceof SpikeSnapshot) {
      output.writeByte(EXACT);
      writeShapeAndSpikes(output, snapshot);
    } else if (snapshot instanceof LIFSnapshot lif) {
      output.writeByte(LIF_MODEL);
      writeShapeAndSpikes(output, snapshot);
      writeFloats(output, lif.sharedVoltage());
      writeFloats(output, lif.sharedRefrac());
    } else {
      ALIFSnapshot alif = (ALIFSnapshot) snapshot;
      output.writeByte(ALIF_MODEL);
      writeShape(output, snapshot.sharedShape());
      output.writeVarInt(alif.adaptations(), true);
      writeSpikes(output, snapshot);
      writeFloats(output, alif.sharedVoltage());
      writeFloats(output, alif.sharedRefrac());
      writeFloats(output, alif.sharedAdaptation());
    }
  }

  /**
   * Reads a snapshot of a format version this serializer reads.
   *
   * @throws KryoException on an unknown version or model, an invalid shape or corrupt bits
   */
  @Override
  public NeuronSnapshot read(Kryo kryo, Input input, Class<? extends NeuronSnapshot> type) {
    int version = input.readByte();
    NeuronSnapshot snapshot;
    if (version == SpikeSnapshotSerializer.VERSION) {
      snapshot = readExact(input);
    } else if (version == VERSION) {
      int model = input.readByte();
      snapshot =
          switch (model) {
            case EXACT -> readExact(input);
            case LIF_MODEL -> readLif(input);
            case ALIF_MODEL -> readAlif(input);
            default ->
                throw new KryoException(
                    "neuron snapshot model "
                        + model
                        + " is not one of 1 (ExactNeuron), 2 (LIF), "
                        + "3 (ALIF)");
          };
    } else {
      throw new KryoException(
          "neuron snapshot format version " + version + " is not supported (this reads 1 and 2)");
    }
    if (!type.isInstance(snapshot)) {
      throw new KryoException(
          NeuronSnapshot.withArticle(snapshot.model())
              + " snapshot was read where "
              + NeuronSnapshot.withArticle(type.getSimpleName())
              + " was expected");
    }
    return snapshot;
  }

  /** Writes the version 1 body: the shape and the spikes. */
  static void writeShapeAndSpikes(Output output, NeuronSnapshot snapshot) {
    writeShape(output, snapshot.sharedShape());
    writeSpikes(output, snapshot);
  }

  private static void writeShape(Output output, long[] shape) {
    output.writeVarInt(shape.length, true);
    for (long size : shape) {
      output.writeVarLong(size, true);
    }
  }

  private static void writeSpikes(Output output, NeuronSnapshot snapshot) {
    long[] words = snapshot.words();
    output.writeLongs(words, 0, words.length);
  }

  private static void writeFloats(Output output, float[] values) {
    for (float value : values) {
      output.writeInt(Float.floatToRawIntBits(value));
    }
  }

  /** Reads the version 1 body, or version 2's after the model byte, of an ExactNeuron. */
  static SpikeSnapshot readExact(Input input) {
    long[] shape = readShape(input, "spike snapshot");
    long[] words = input.readLongs(NeuronSnapshot.wordsFor(product(shape)));
    try {
      return SpikeSnapshot.owning(shape, words);
    } catch (IllegalArgumentException e) {
      throw new KryoException("corrupt spike snapshot: " + e.getMessage(), e);
    }
  }

  private static LIFSnapshot readLif(Input input) {
    long[] shape = readShape(input, "LIF snapshot");
    int n = (int) product(shape);
    long[] words = input.readLongs(NeuronSnapshot.wordsFor(n));
    float[] voltage = readFloats(input, n);
    float[] refrac = readFloats(input, n);
    try {
      return LIFSnapshot.owning(shape, words, voltage, refrac);
    } catch (IllegalArgumentException e) {
      throw new KryoException("corrupt LIF snapshot: " + e.getMessage(), e);
    }
  }

  private static ALIFSnapshot readAlif(Input input) {
    long[] shape = readShape(input, "ALIF snapshot");
    int n = (int) product(shape);
    long positions = n / shape[0];
    int adaptations = input.readVarInt(true);
    if (adaptations < 1 || adaptations > Neuron.MAX_NEURONS / positions) {
      throw new KryoException(
          "ALIF snapshot adaptation count "
              + adaptations
              + " is invalid for "
              + positions
              + " neurons");
    }
    long[] words = input.readLongs(NeuronSnapshot.wordsFor(n));
    float[] voltage = readFloats(input, n);
    float[] refrac = readFloats(input, n);
    float[] adaptation = readFloats(input, (int) (positions * adaptations));
    try {
      return ALIFSnapshot.owning(shape, words, voltage, refrac, adaptations, adaptation);
    } catch (IllegalArgumentException e) {
      throw new KryoException("corrupt ALIF snapshot: " + e.getMessage(), e);
    }
  }

  private static float[] readFloats(Input input, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = Float.intBitsToFloat(input.readInt());
    }
    return values;
  }

  private static long[] readShape(Input input, String noun) {
    int rank = input.readVarInt(true);
    if (rank < 1 || rank > MAX_RANK) {
      throw new KryoException(noun + " rank " + rank + " is out of [1, " + MAX_RANK + "]");
    }
    long[] shape = new long[rank];
    long neurons = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = input.readVarLong(true);
      if (shape[i] <= 0 || neurons > Neuron.MAX_NEURONS / shape[i]) {
        throw new KryoException(noun + " size " + shape[i] + " at dimension " + i + " is invalid");
      }
      neurons *= shape[i];
    }
    return shape;
  }

  private static long product(long[] shape) {
    long product = 1;
    for (long size : shape) {
      product *= size;
    }
    return product;
  }
}
