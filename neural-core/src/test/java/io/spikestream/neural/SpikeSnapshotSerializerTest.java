package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SpikeSnapshotSerializerTest {

  private static Kryo kryo() {
    Kryo kryo = new Kryo();
    kryo.register(SpikeSnapshot.class, new SpikeSnapshotSerializer());
    return kryo;
  }

  private static byte[] write(SpikeSnapshot snapshot) {
    Output output = new Output(64, -1);
    new SpikeSnapshotSerializer().write(kryo(), output, snapshot);
    return output.toBytes();
  }

  private static SpikeSnapshot read(byte[] bytes) {
    return new SpikeSnapshotSerializer().read(kryo(), new Input(bytes), SpikeSnapshot.class);
  }

  private static ExactNeuron randomlySpiking(RandomHyper hyper) {
    ExactNeuron neuron = hyper.build();
    Random random = new Random(hyper.seed());
    float[] currents = new float[hyper.neurons()];
    for (int i = 0; i < currents.length; i++) {
      currents[i] = (float) (random.nextGaussian() - random.nextDouble());
    }
    neuron.forward(Nd4j.create(currents, hyper.batchedShape(), 'c'));
    return neuron;
  }

  @RepeatedTest(25)
  void roundTripThroughKryoRestoresTheSameSpikes(RepetitionInfo repetition) {
    RandomHyper hyper = RandomHyper.draw(RandomHyper.BASE_SEED + repetition.getCurrentRepetition());
    ExactNeuron neuron = randomlySpiking(hyper);
    SpikeSnapshot snapshot = neuron.snapshot();

    Kryo kryo = kryo();
    Output output = new Output(64, -1);
    kryo.writeObject(output, snapshot);
    SpikeSnapshot back = kryo.readObject(new Input(output.toBytes()), SpikeSnapshot.class);
    assertEquals(snapshot, back, hyper::toString);

    ExactNeuron restored = hyper.build();
    restored.restore(back);
    assertEquals(neuron.spike(), restored.spike(), hyper::toString);
  }

  @Test
  void serializedSizeIsTheBitsPlusASmallHeader() {
    for (long[] shape : new long[][] {{1}, {64}, {1000}, {32, 32}, {1_000_000}}) {
      ExactNeuron neuron =
          ExactNeuron.builder()
              .shape(shape)
              .stepTime(1)
              .restV(-65)
              .threshV(-50)
              .batchSize(3)
              .build();
      long neurons = 3 * neuron.count();
      int bytes = write(neuron.snapshot()).length;
      long bitBytes = 8L * SpikeSnapshot.wordsFor(neurons);
      assertTrue(
          bytes >= bitBytes && bytes <= bitBytes + 2 + 5 * (shape.length + 1),
          () -> neurons + " neurons took " + bytes + " bytes");
    }
    // version, rank 2, sizes 3 and 1000 (2 bytes), 47 words
    ExactNeuron thousand =
        ExactNeuron.builder().shape(1000).stepTime(1).restV(-65).threshV(-50).batchSize(3).build();
    assertEquals(1 + 1 + 1 + 2 + 8 * 47, write(thousand.snapshot()).length);
  }

  @Test
  void formatStartsWithItsVersion() {
    byte[] bytes = write(new SpikeSnapshot(new long[] {1, 2}, new long[] {0b10}));
    assertArrayEquals(new byte[] {1, 2, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0}, bytes);
  }

  @Test
  void anotherVersionIsAClearError() {
    byte[] bytes = write(new SpikeSnapshot(new long[] {1, 2}, new long[] {0b10}));
    bytes[0] = 9;
    assertEquals(
        "spike snapshot format version 9 is not supported (this reads 1)",
        assertThrows(KryoException.class, () -> read(bytes)).getMessage());
  }

  @Test
  void corruptHeadersAndStrayBitsAreClearErrors() {
    byte[] zeroRank = {1, 0};
    assertEquals(
        "spike snapshot rank 0 is out of [1, 32]",
        assertThrows(KryoException.class, () -> read(zeroRank)).getMessage());
    byte[] zeroSize = {1, 2, 1, 0};
    assertEquals(
        "spike snapshot size 0 at dimension 1 is invalid",
        assertThrows(KryoException.class, () -> read(zeroSize)).getMessage());
    byte[] stray = write(new SpikeSnapshot(new long[] {1, 2}, new long[] {0b10}));
    stray[5] = 0b100;
    assertEquals(
        "corrupt spike snapshot: a spike snapshot of 2 neurons has spikes set past its "
            + "last neuron",
        assertThrows(KryoException.class, () -> read(stray)).getMessage());
    byte[] truncated = java.util.Arrays.copyOf(stray, 8);
    assertThrows(KryoException.class, () -> read(truncated));
  }

  @Test
  void snapshotIsImmutableSoKryoCopyIsIdentity() {
    SpikeSnapshot snapshot = new SpikeSnapshot(new long[] {2, 3}, new long[] {0b101});
    assertSame(snapshot, kryo().copy(snapshot));
  }

  @Test
  void snapshotConstructorValidatesItsWords() {
    assertEquals(
        "a spike snapshot of batched shape (2, 3) needs 1 words, got 2",
        assertThrows(
                IllegalArgumentException.class,
                () -> new SpikeSnapshot(new long[] {2, 3}, new long[2]))
            .getMessage());
    assertEquals(
        "'batched_shape[1]' of 0 must be positive",
        assertThrows(
                IllegalArgumentException.class,
                () -> new SpikeSnapshot(new long[] {2, 0}, new long[0]))
            .getMessage());
  }

  @Test
  void snapshotOfAMillionNeuronsRestoresExactly() {
    ExactNeuron neuron =
        ExactNeuron.builder().shape(1000, 1000).stepTime(1).restV(-65).threshV(-50).build();
    INDArray currents = Nd4j.rand(DataType.FLOAT, 1, 1000, 1000).subi(0.5);
    neuron.forward(currents);
    SpikeSnapshot back = read(write(neuron.snapshot()));
    ExactNeuron restored =
        ExactNeuron.builder().shape(1000, 1000).stepTime(1).restV(-65).threshV(-50).build();
    restored.restore(back);
    assertEquals(currents.gt(0), restored.spike());
    assertEquals(neuron.spikedIndices().length, back.spikeCount());
  }
}
