package io.spikestream.neural;

import static io.spikestream.neural.LinearHyper.assertMessage;
import static io.spikestream.neural.LinearHyper.assertSameState;
import static io.spikestream.neural.LinearHyper.bits;
import static io.spikestream.neural.LinearHyper.bools;
import static io.spikestream.neural.LinearHyper.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ports the reference's ALIF tests (1 and 10 adaptations; spikes, refractory periods, voltage lock)
 * and checks 120 random steps at a time against {@link InfernoOracle} bit for bit, adaptations
 * included, plus validation, the fixed faults, setters, clear / clear(false) and batch changes.
 */
class ALIFTest {

  static final long SEED = RandomHyper.BASE_SEED + 2000;
  private static final int REPETITIONS = 25;
  private static final int STEPS = 120;

  @BeforeAll
  static void printSeed() {
    System.out.println("ALIFTest seed " + SEED + " (-Dspikestream.seed=N replays another run)");
  }

  private static LinearHyper hyper(RepetitionInfo repetition) {
    return LinearHyper.draw(SEED + repetition.getCurrentRepetition());
  }

  private static ALIF.Builder builder() {
    return ALIF.builder()
        .shape(3)
        .stepTime(1)
        .restV(-65)
        .resetV(-70)
        .threshEqV(-50)
        .refracT(2)
        .tcMembrane(20)
        .tcAdaptation(100)
        .spikeIncrement(1);
  }

  @RepeatedTest(REPETITIONS)
  void randomStepsEqualTheOracleBitForBit(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition);
    ALIF neuron = hyper.alif();
    InfernoOracle oracle = InfernoOracle.of(neuron);
    Random random = new Random(hyper.seed());
    int spikes = 0;
    for (int k = 0; k < STEPS; k++) {
      float[] x = hyper.currents(random);
      neuron.forward(hyper.array(x));
      oracle.step(x);
      assertSameState(oracle, neuron, hyper + " step " + k);
      spikes += oracle.spikedIndices().length;
    }
    assertTrue(spikes > 0, () -> hyper + ": no spike in " + STEPS + " steps");
  }

  /** Large batches and K >= 8 reach PyTorch's other summation orders. */
  @Test
  void largeBatchesAndManyAdaptationsEqualTheOracle() {
    Random random = new Random(SEED);
    for (int[] bk : new int[][] {{17, 1}, {40, 3}, {9, 10}, {5, 17}, {33, 8}}) {
      ALIF neuron =
          ALIF.builder()
              .shape(37)
              .stepTime(1)
              .restV(-65)
              .resetV(-70)
              .threshEqV(-52)
              .refracT(random.nextBoolean() ? 0 : 2)
              .tcMembrane(12)
              .tcAdaptation(random.doubles(bk[1], 5, 500).toArray())
              .spikeIncrement(random.doubles(bk[1], -0.5, 1.5).toArray())
              .batchSize(bk[0])
              .build();
      InfernoOracle oracle = InfernoOracle.of(neuron);
      long[] shape = {bk[0], 37};
      for (int k = 0; k < 60; k++) {
        float[] x = new float[bk[0] * 37];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (30 * random.nextGaussian() + 8);
        }
        neuron.forward(Nd4j.create(x, shape, 'c'));
        oracle.step(x);
        assertSameState(oracle, neuron, "B=" + bk[0] + " K=" + bk[1] + " step " + k);
      }
    }
  }

  @RepeatedTest(REPETITIONS)
  void neuronsSetAboveTheThresholdSpikeAndRaiseItByTheIncrements(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition);
    ALIF neuron = hyper.alif();
    int n = hyper.neurons();
    float[] v = new float[n];
    java.util.Arrays.fill(v, (float) (hyper.threshV() + 50));
    neuron.setVoltage(hyper.array(v));
    boolean[] all = new boolean[n];
    java.util.Arrays.fill(all, true);
    assertArrayEquals(all, bools(neuron.forward(hyper.array(new float[n]))));
    // every copy spiked: each adaptation is the mean of B increments added to 0
    float[] a = floats(neuron.thresholdAdaptation());
    int k = hyper.tcAdaptation().length;
    for (int j = 0; j < a.length; j++) {
      float increment = (float) hyper.spikeIncrement()[j % k];
      float mean =
          InfernoOracle.of(neuron).adaptive()
              ? meanOfCopies(increment, hyper.batchSize(), j, a.length)
              : 0f;
      assertEquals(mean, a[j], hyper::toString);
    }
  }

  private static float meanOfCopies(float increment, int batch, int column, int columns) {
    float[] values = new float[batch];
    // with refrac_t 0 the zero adaptation decays to 0 before the increment; either way 0 + d
    java.util.Arrays.fill(values, 0f + increment);
    return TorchSum.batchColumn(values, batch, column, columns) / batch;
  }

  @Test
  void fewerIncrementsThanTimeConstantsRepeatTheLastIncrement() {
    // the reference crashes here with float(None)
    ALIF neuron = builder().tcAdaptation(100, 200, 300).spikeIncrement(1, 2).build();
    assertArrayEquals(new double[] {1, 2, 2}, neuron.spikeIncrement());
    assertArrayEquals(new double[] {100, 200, 300}, neuron.tcAdaptation());
    assertEquals(3, neuron.adaptations());
    assertArrayEquals(new long[] {3, 3}, neuron.thresholdAdaptation().shape());
    ALIF more = builder().tcAdaptation(100).spikeIncrement(1, 2, 3).build();
    assertArrayEquals(new double[] {100, 100, 100}, more.tcAdaptation());
    assertArrayEquals(new double[] {1, 2, 3}, more.spikeIncrement());
  }

  @Test
  void spikeIsTheLastStepsSpikesEvenWithoutRefractoryPeriod() {
    ALIF neuron = builder().refracT(0).build();
    neuron.forward(Nd4j.createFromArray(new float[][] {{1000, 0, 0}}));
    assertArrayEquals(new int[] {0}, neuron.spikedIndices());
    neuron.forward(Nd4j.zeros(DataType.FLOAT, 1, 3));
    assertArrayEquals(new boolean[3], bools(neuron.spike()));
  }

  @Test
  void clearKeepsTheAdaptationsAndClearFalseDropsThem() {
    ALIF neuron = builder().batchSize(2).build();
    neuron.forward(Nd4j.createFromArray(new float[][] {{1000, 0, 0}, {1000, 1000, 0}}));
    float[] adapted = floats(neuron.thresholdAdaptation());
    assertArrayEquals(bits(new float[] {1f, 0.5f, 0f}), bits(adapted));
    neuron.clear();
    assertArrayEquals(bits(adapted), bits(floats(neuron.thresholdAdaptation())));
    assertArrayEquals(new boolean[6], bools(neuron.spike()));
    assertArrayEquals(
        bits(new float[] {-65, -65, -65, -65, -65, -65}), bits(floats(neuron.voltage())));
    assertArrayEquals(new float[6], floats(neuron.refrac()));
    // a batch change clears the rest and keeps the adaptations, as the reference's batchsz
    neuron.setBatchSize(3);
    assertArrayEquals(bits(adapted), bits(floats(neuron.thresholdAdaptation())));
    assertArrayEquals(new long[] {3, 3}, neuron.voltage().shape());
    assertArrayEquals(new boolean[9], bools(neuron.spike()));
    neuron.clear(false);
    assertArrayEquals(new float[3], floats(neuron.thresholdAdaptation()));
  }

  @Test
  void settersCheckTheShapeAndNameBoth() {
    ALIF neuron = builder().tcAdaptation(10, 20).batchSize(2).build();
    assertMessage(
        "'threshold_adaptation' of shape (2, 3, 2) must have the shape (3, 2)",
        () -> neuron.setThresholdAdaptation(Nd4j.zeros(DataType.FLOAT, 2, 3, 2)));
    assertMessage(
        "'voltage' of shape (3,) must have the batched shape (2, 3)",
        () -> neuron.setVoltage(Nd4j.zeros(DataType.FLOAT, 3)));
    assertMessage(
        "'refrac' of shape (2, 4) must have the batched shape (2, 3)",
        () -> neuron.setRefrac(Nd4j.zeros(DataType.FLOAT, 2, 4)));
    INDArray set = Nd4j.createFromArray(new double[][] {{0.1, -2}, {3, 4}, {5, 6}});
    neuron.setThresholdAdaptation(set);
    assertArrayEquals(
        bits(new float[] {0.1f, -2, 3, 4, 5, 6}), bits(floats(neuron.thresholdAdaptation())));
    assertEquals(DataType.FLOAT, neuron.thresholdAdaptation().dataType());
  }

  @Test
  void validationMessagesHaveTheReferenceWording() {
    assertMessage(
        "'tc_adaptation[1]' of 0.0 must be positive",
        () -> builder().tcAdaptation(10, 0).spikeIncrement(1, 1).build());
    assertMessage(
        "'tc_adaptation[0]' of nan must be positive",
        () -> builder().tcAdaptation(Double.NaN).build());
    assertMessage(
        "'spike_increment[1]' of nan must be a number",
        () -> builder().spikeIncrement(1, Double.NaN).build());
    assertMessage(
        "'tc_adaptation' must have at least one value", () -> builder().tcAdaptation().build());
    assertMessage(
        "'spike_increment' must have at least one value", () -> builder().spikeIncrement().build());
    assertMessage(
        "'rest_v' (-40.0) must be less than 'thresh_eq_v' (-50.0)",
        () -> builder().restV(-40).build());
    assertMessage(
        "'reset_v' (-49.5) must be less than 'thresh_eq_v' (-50.0)",
        () -> builder().resetV(-49.5).build());
    assertMessage(
        "'refrac_t' of -1e-05 must be nonnegative", () -> builder().refracT(-1e-5).build());
    assertMessage(
        "'tc_membrane' of nan must be positive", () -> builder().tcMembrane(Double.NaN).build());
    assertMessage("'resistance' of 0.0 must be nonzero", () -> builder().resistance(0).build());
    assertMessage(
        "'resistance' of nan must be a number", () -> builder().resistance(Double.NaN).build());
    assertMessage("'step_time' of 0.0 must be positive", () -> builder().stepTime(0).build());
    // the reference checks the adaptations before step_time
    assertMessage(
        "'tc_adaptation[0]' of -1.0 must be positive",
        () -> builder().stepTime(0).tcAdaptation(-1).build());
    assertMessage(
        "'tc_membrane' must be set",
        () ->
            ALIF.builder()
                .shape(1)
                .stepTime(1)
                .restV(-65)
                .resetV(-70)
                .threshEqV(-50)
                .refracT(0)
                .build());
  }

  @Test
  void toStringReadsAsTheReference() {
    assertEquals("ALIF(shape=(3,), batchsz=4, dt=1.0)", builder().batchSize(4).build().toString());
  }

  /** A dense step split over two threads is the one-thread step, bit for bit. */
  @Test
  void twoThreadsStepAsOne() {
    Neuron[] neurons = new Neuron[2];
    for (int threads = 1; threads <= 2; threads++) {
      neurons[threads - 1] =
          ALIF.builder()
              .shape(300_000)
              .stepTime(1)
              .restV(-65)
              .resetV(-70)
              .threshEqV(-50)
              .refracT(2)
              .tcMembrane(20)
              .tcAdaptation(5)
              .spikeIncrement(2)
              .threads(threads)
              .build();
    }
    Random random = new Random(SEED);
    float[] x = new float[300_000];
    for (int s = 0; s < 12; s++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (30 * random.nextGaussian() + 5);
      }
      INDArray in = Nd4j.create(x, new long[] {1, x.length}, 'c');
      neurons[0].forward(in);
      neurons[1].forward(in);
      assertArrayEquals(neurons[0].spikedIndices(), neurons[1].spikedIndices());
      assertEquals(neurons[0].canSpikeWithoutInput(), neurons[1].canSpikeWithoutInput());
    }
    assertEquals(neurons[0].snapshot(), neurons[1].snapshot());
    assertEquals(
        java.util.Arrays.toString(((LazyNeuron) neurons[0]).hotUnits()),
        java.util.Arrays.toString(((LazyNeuron) neurons[1]).hotUnits()));
  }
}
