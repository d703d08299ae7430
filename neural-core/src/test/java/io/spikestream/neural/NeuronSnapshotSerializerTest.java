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
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class NeuronSnapshotSerializerTest {

  private static final long SEED = RandomHyper.BASE_SEED + 4000;

  private static Kryo kryo() {
    Kryo kryo = new Kryo();
    NeuronSnapshotSerializer.registerAll(kryo);
    return kryo;
  }

  private static byte[] write(NeuronSnapshot snapshot) {
    Output output = new Output(64, -1);
    new NeuronSnapshotSerializer().write(kryo(), output, snapshot);
    return output.toBytes();
  }

  private static NeuronSnapshot read(byte[] bytes) {
    return new NeuronSnapshotSerializer().read(kryo(), new Input(bytes), NeuronSnapshot.class);
  }

  private static LazyNeuron driven(LinearHyper hyper, boolean adaptive) {
    LazyNeuron neuron = adaptive ? hyper.alif() : hyper.lif();
    Random random = new Random(hyper.seed());
    for (int s = 0; s < 20; s++) {
      neuron.forward(hyper.array(hyper.currents(random)));
    }
    neuron.forwardSparse(new int[] {0}, new double[] {500}, 1);
    neuron.skipIdle(neuron.canSpikeWithoutInput() ? 0 : 7);
    return neuron;
  }

  @RepeatedTest(20)
  void everyModelRoundTripsThroughKryo(RepetitionInfo repetition) {
    LinearHyper hyper = LinearHyper.draw(SEED + repetition.getCurrentRepetition());
    for (boolean adaptive : new boolean[] {false, true}) {
      LazyNeuron neuron = driven(hyper, adaptive);
      NeuronSnapshot snapshot = neuron.snapshot();
      Kryo kryo = kryo();
      Output output = new Output(64, -1);
      kryo.writeClassAndObject(output, snapshot);
      NeuronSnapshot back = (NeuronSnapshot) kryo.readClassAndObject(new Input(output.toBytes()));
      assertEquals(snapshot, back, hyper::toString);
      LazyNeuron restored = adaptive ? hyper.alif() : hyper.lif();
      restored.restore(back);
      assertEquals(snapshot, restored.snapshot(), hyper::toString);
      // and the restored group steps on exactly as the original
      float[] x = hyper.currents(new Random(1));
      neuron.forward(hyper.array(x));
      restored.forward(hyper.array(x));
      assertEquals(neuron.snapshot(), restored.snapshot(), hyper::toString);
    }
    ExactNeuron exact = RandomHyper.draw(SEED + repetition.getCurrentRepetition()).build();
    exact.forward(Nd4j.rand(exact.batchedShape()).subi(0.5));
    assertEquals(exact.snapshot(), read(write(exact.snapshot())));
  }

  @Test
  void sizesAreTheRawStatePlusTheBitsAndASmallHeader() {
    LIF lif =
        LIF.builder()
            .shape(1000)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshV(-50)
            .refracT(2)
            .timeConstant(20)
            .batchSize(3)
            .build();
    // version, model, rank 2, sizes 3 and 1000 (2 bytes), 47 words, 2 x 3000 floats
    assertEquals(1 + 1 + 1 + 1 + 2 + 8 * 47 + 2 * 4 * 3000, write(lif.snapshot()).length);
    ALIF alif =
        ALIF.builder()
            .shape(10, 100)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshEqV(-50)
            .refracT(2)
            .tcMembrane(20)
            .tcAdaptation(10, 100)
            .spikeIncrement(1)
            .batchSize(2)
            .build();
    // version, model, rank 3, sizes 2, 10, 100, K, 32 words, 2 x 2000 floats, 2000 adaptations
    assertEquals(
        1 + 1 + 1 + 3 + 1 + 8 * 32 + 2 * 4 * 2000 + 4 * 2000, write(alif.snapshot()).length);
  }

  @Test
  void formatStartsWithVersionModelAndShapeAndKeepsFloatBitsRaw() {
    LIFSnapshot snapshot =
        new LIFSnapshot(
            new long[] {1, 2},
            new long[] {0b10},
            new float[] {Float.intBitsToFloat(0x7fc00001), -0.0f},
            new float[] {1f, 0f});
    byte[] bytes = write(snapshot);
    assertArrayEquals(new byte[] {2, 2, 2, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOf(bytes, 13));
    LIFSnapshot back = (LIFSnapshot) read(bytes);
    assertEquals(0x7fc00001, Float.floatToRawIntBits(back.voltage()[0]));
    assertEquals(0x80000000, Float.floatToRawIntBits(back.voltage()[1]));
    assertEquals(snapshot, back);
  }

  @Test
  void versionOneBytesOfTheSpikeSnapshotSerializerStillRead() {
    // bytes as SpikeSnapshotSerializer has always written them: version 1, rank 2, (1, 2), spikes
    byte[] legacy = {1, 2, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0};
    NeuronSnapshot back = read(legacy);
    assertEquals(new SpikeSnapshot(new long[] {1, 2}, new long[] {0b10}), back);
    Output output = new Output(64, -1);
    new SpikeSnapshotSerializer().write(kryo(), output, (SpikeSnapshot) back);
    assertArrayEquals(legacy, output.toBytes());
    // and a version 2 ExactNeuron snapshot reads back the same
    assertEquals(back, read(write(back)));
  }

  @Test
  void corruptBytesAreClearErrors() {
    assertEquals(
        "neuron snapshot format version 7 is not supported (this reads 1 and 2)",
        assertThrows(KryoException.class, () -> read(new byte[] {7})).getMessage());
    assertEquals(
        "neuron snapshot model 9 is not one of 1 (ExactNeuron), 2 (LIF), 3 (ALIF)",
        assertThrows(KryoException.class, () -> read(new byte[] {2, 9})).getMessage());
    assertEquals(
        "LIF snapshot rank 0 is out of [1, 32]",
        assertThrows(KryoException.class, () -> read(new byte[] {2, 2, 0})).getMessage());
    assertEquals(
        "ALIF snapshot size 0 at dimension 1 is invalid",
        assertThrows(KryoException.class, () -> read(new byte[] {2, 3, 2, 1, 0})).getMessage());
    assertEquals(
        "ALIF snapshot adaptation count 0 is invalid for 1 neurons",
        assertThrows(KryoException.class, () -> read(new byte[] {2, 3, 1, 1, 0})).getMessage());
    byte[] stray =
        write(new LIFSnapshot(new long[] {1, 2}, new long[] {0b10}, new float[2], new float[2]));
    stray[5] = 0b100;
    assertEquals(
        "corrupt LIF snapshot: a LIF snapshot of 2 neurons has spikes set past its last neuron",
        assertThrows(KryoException.class, () -> read(stray)).getMessage());
    byte[] truncated = Arrays.copyOf(stray, stray.length - 1);
    assertThrows(KryoException.class, () -> read(truncated));
    byte[] lif =
        write(new LIFSnapshot(new long[] {1, 1}, new long[] {0}, new float[1], new float[1]));
    KryoException wrongType =
        assertThrows(
            KryoException.class,
            () -> new NeuronSnapshotSerializer().read(kryo(), new Input(lif), ALIFSnapshot.class));
    assertEquals(
        "a LIF snapshot was read where an ALIFSnapshot was expected", wrongType.getMessage());
  }

  @Test
  void restoreRejectsAnotherModelOrShapeNamingBoth() {
    LinearHyper hyper = LinearHyper.draw(SEED);
    LIF lif =
        LIF.builder()
            .shape(3)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshV(-50)
            .refracT(2)
            .timeConstant(20)
            .build();
    ALIF alif =
        ALIF.builder()
            .shape(3)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshEqV(-50)
            .refracT(2)
            .tcMembrane(20)
            .tcAdaptation(10, 20)
            .spikeIncrement(1)
            .build();
    LinearHyper.assertMessage(
        "an ALIF snapshot of batched shape (1, 3) cannot be restored into LIF(shape=(3,), "
            + "batchsz=1, dt=1.0) of batched shape (1, 3)",
        () -> lif.restore(alif.snapshot()));
    LIF wide =
        LIF.builder()
            .shape(3)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshV(-50)
            .refracT(2)
            .timeConstant(20)
            .batchSize(2)
            .build();
    LinearHyper.assertMessage(
        "a LIF snapshot of batched shape (2, 3) cannot be restored into LIF(shape=(3,), "
            + "batchsz=1, dt=1.0) of batched shape (1, 3)",
        () -> lif.restore(wide.snapshot()));
    ALIF single =
        ALIF.builder()
            .shape(3)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshEqV(-50)
            .refracT(2)
            .tcMembrane(20)
            .tcAdaptation(10)
            .spikeIncrement(1)
            .build();
    LinearHyper.assertMessage(
        "an ALIF snapshot of 1 adaptations per neuron cannot be restored into ALIF(shape=(3,), "
            + "batchsz=1, dt=1.0) of 2",
        () -> alif.restore(single.snapshot()));
    LinearHyper.assertMessage(
        "a LIF snapshot of batched shape (1, 3) cannot be restored into ExactNeuron(shape=(3,), "
            + "batchsz=1, dt=1.0) of batched shape (1, 3)",
        () ->
            ExactNeuron.builder()
                .shape(3)
                .stepTime(1)
                .restV(-65)
                .threshV(-50)
                .build()
                .restore(lif.snapshot()));
    assertTrue(hyper.neurons() > 0);
  }

  @Test
  void snapshotsAreImmutableSoKryoCopyIsIdentity() {
    LIFSnapshot snapshot =
        new LIFSnapshot(new long[] {1, 1}, new long[] {1}, new float[] {2}, new float[] {3});
    assertSame(snapshot, kryo().copy(snapshot));
    float[] v = snapshot.voltage();
    v[0] = 9;
    assertEquals(2f, snapshot.voltage()[0]);
  }

  @Test
  void constructorsValidateTheArrays() {
    LinearHyper.assertMessage(
        "a LIF snapshot needs 2 values of 'refrac', got 1",
        () -> new LIFSnapshot(new long[] {1, 2}, new long[1], new float[2], new float[1]));
    LinearHyper.assertMessage(
        "an ALIF snapshot needs 4 values of 'threshold_adaptation', got 2",
        () ->
            new ALIFSnapshot(
                new long[] {3, 2}, new long[1], new float[6], new float[6], 2, new float[2]));
  }
}
