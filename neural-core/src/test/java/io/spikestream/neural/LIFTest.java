package io.spikestream.neural;

import static io.spikestream.neural.LinearHyper.assertMessage;
import static io.spikestream.neural.LinearHyper.assertSameState;
import static io.spikestream.neural.LinearHyper.bits;
import static io.spikestream.neural.LinearHyper.bools;
import static io.spikestream.neural.LinearHyper.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
 * Ports the reference's LIF tests (random shapes and hyperparameters; spikes, refractory periods
 * and voltage lock) and checks 120 random steps at a time against {@link InfernoOracle} bit for
 * bit, plus validation, the fixed fault, setters, clear and batch-size changes.
 */
class LIFTest {

  static final long SEED = RandomHyper.BASE_SEED + 1000;
  private static final int REPETITIONS = 25;
  private static final int STEPS = 120;

  @BeforeAll
  static void printSeed() {
    System.out.println("LIFTest seed " + SEED + " (-Dspikestream.seed=N replays another run)");
  }

  private static LinearHyper hyper(RepetitionInfo repetition) {
    return LinearHyper.draw(SEED + repetition.getCurrentRepetition());
  }

  private static LIF lif(long... shape) {
    return LIF.builder()
        .shape(shape)
        .stepTime(1.0)
        .restV(-65)
        .resetV(-70)
        .threshV(-50)
        .refracT(2)
        .timeConstant(20)
        .build();
  }

  @RepeatedTest(REPETITIONS)
  void batchSizeShapeCountAndBatchedShapeFollowTheHyperparameters(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition);
    LIF neuron = hyper.lif();
    assertEquals(hyper.batchSize(), neuron.batchSize());
    assertArrayEquals(hyper.shape(), neuron.shape());
    assertEquals(hyper.neurons() / hyper.batchSize(), neuron.count());
    assertArrayEquals(hyper.batchedShape(), neuron.batchedShape());
  }

  @RepeatedTest(REPETITIONS)
  void randomStepsEqualTheOracleBitForBit(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition);
    LIF neuron = hyper.lif();
    InfernoOracle oracle = InfernoOracle.of(neuron);
    Random random = new Random(hyper.seed());
    int spikes = 0;
    for (int k = 0; k < STEPS; k++) {
      float[] x = hyper.currents(random);
      INDArray result = neuron.forward(hyper.array(x));
      oracle.step(x);
      assertSame(neuron.spike(), result);
      assertSameState(oracle, neuron, hyper + " step " + k);
      spikes += oracle.spikedIndices().length;
    }
    assertTrue(spikes > 0, () -> hyper + ": no spike in " + STEPS + " steps");
  }

  /**
   * validate_spikes_voltagedriven: neurons set above threshold spike on a zero step (50 mV above:
   * the reference's 5 mV decays below threshold in one step for some draws of its own ranges).
   */
  @RepeatedTest(REPETITIONS)
  void neuronsSetAboveThresholdSpike(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition);
    LIF neuron = hyper.lif();
    Random random = new Random(hyper.seed() + 1);
    boolean[] mask = new boolean[hyper.neurons()];
    float[] v = floats(neuron.voltage());
    for (int i = 0; i < v.length; i++) {
      mask[i] = random.nextBoolean();
      if (mask[i]) {
        v[i] = (float) (hyper.threshV() + 50);
      }
    }
    neuron.setVoltage(hyper.array(v));
    assertArrayEquals(mask, bools(neuron.forward(hyper.array(new float[v.length]))));
    // validate_refrac_voltagedriven: refrac_t after the spike, refrac_t - dt one step later
    float[] refrac = floats(neuron.refrac());
    float period = (float) hyper.refracT();
    for (int i = 0; i < v.length; i++) {
      assertEquals(mask[i] ? period : 0f, refrac[i], hyper::toString);
    }
    neuron.forward(hyper.array(new float[v.length]));
    refrac = floats(neuron.refrac());
    for (int i = 0; i < v.length; i++) {
      float expected = mask[i] ? Math.max(0f, period - (float) hyper.stepTime()) : 0f;
      assertEquals(expected, refrac[i], 5e-7, hyper::toString);
    }
  }

  /** validate_voltage_lock_voltagedriven: refractory voltages hold, the others decay. */
  @RepeatedTest(REPETITIONS)
  void refractoryVoltagesAreHeld(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition);
    LIF neuron = hyper.lif();
    Random random = new Random(hyper.seed() + 2);
    int n = hyper.neurons();
    boolean[] mask = new boolean[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      mask[i] = random.nextBoolean();
      v[i] = (float) (mask[i] ? hyper.threshV() + 5 : hyper.restV() + 3);
    }
    neuron.setVoltage(hyper.array(v));
    neuron.forward(hyper.array(new float[n]));
    float[] refrac = floats(neuron.refrac());
    for (int i = 0; i < n; i++) {
      if (mask[i]) {
        refrac[i] = (float) Math.max(hyper.refracT(), 2 * hyper.stepTime());
      }
    }
    neuron.setRefrac(hyper.array(refrac));
    float[] before = floats(neuron.voltage());
    neuron.forward(hyper.array(new float[n]));
    float[] after = floats(neuron.voltage());
    for (int i = 0; i < n; i++) {
      if (mask[i]) {
        assertEquals(before[i], after[i], hyper::toString);
      } else {
        assertTrue(after[i] < before[i], hyper::toString);
      }
    }
  }

  /** The reference reads spikes off refrac == refrac_t, so refrac_t = 0 makes all spike. */
  @Test
  void spikeIsTheLastStepsSpikesEvenWithoutRefractoryPeriod() {
    LIF neuron =
        LIF.builder()
            .shape(4)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshV(-50)
            .refracT(0)
            .timeConstant(20)
            .build();
    neuron.forward(Nd4j.createFromArray(new float[][] {{1000, 0, 0, 1}}));
    assertArrayEquals(new boolean[] {true, false, false, false}, bools(neuron.spike()));
    assertArrayEquals(new int[] {0}, neuron.spikedIndices());
    neuron.forward(Nd4j.zeros(DataType.FLOAT, 1, 4));
    assertArrayEquals(new boolean[4], bools(neuron.spike()));
  }

  @Test
  void spikeStaysThroughSettersAndEmptiesOnClearAndBatchChange() {
    LIF neuron = lif(3);
    neuron.forward(Nd4j.createFromArray(new float[][] {{1000, 0, 1000}}));
    neuron.setVoltage(Nd4j.zeros(DataType.FLOAT, 1, 3));
    neuron.setRefrac(Nd4j.ones(DataType.FLOAT, 1, 3));
    assertArrayEquals(new int[] {0, 2}, neuron.spikedIndices());
    neuron.clear();
    assertArrayEquals(new boolean[3], bools(neuron.spike()));
    assertArrayEquals(bits(new float[] {-65, -65, -65}), bits(floats(neuron.voltage())));
    assertArrayEquals(new float[3], floats(neuron.refrac()));
    neuron.forward(Nd4j.createFromArray(new float[][] {{1000, 0, 1000}}));
    neuron.setBatchSize(2);
    assertArrayEquals(new long[] {2, 3}, neuron.batchedShape());
    assertArrayEquals(new boolean[6], bools(neuron.spike()));
    assertArrayEquals(new long[] {2, 3}, neuron.voltage().shape());
    assertArrayEquals(new float[6], floats(neuron.refrac()));
  }

  @Test
  void validationMessagesHaveTheReferenceWording() {
    assertMessage("'step_time' of 0.0 must be positive", () -> builder().stepTime(0).build());
    assertMessage(
        "'rest_v' (-40.0) must be less than 'thresh_v' (-50.0)",
        () -> builder().restV(-40).build());
    assertMessage(
        "'reset_v' (-50.0) must be less than 'thresh_v' (-50.0)",
        () -> builder().resetV(-50).build());
    assertMessage(
        "'rest_v' (-65.0) must be less than 'thresh_v' (nan)",
        () -> builder().threshV(Double.NaN).build());
    assertMessage(
        "'refrac_t' of -1e-05 must be nonnegative", () -> builder().refracT(-1e-5).build());
    assertMessage(
        "'refrac_t' of nan must be nonnegative", () -> builder().refracT(Double.NaN).build());
    assertMessage(
        "'time_constant' of nan must be positive",
        () -> builder().timeConstant(Double.NaN).build());
    assertMessage(
        "'time_constant' of -20.0 must be positive", () -> builder().timeConstant(-20).build());
    assertMessage("'resistance' of 0.0 must be nonzero", () -> builder().resistance(0).build());
    assertMessage("'resistance' of -0.0 must be nonzero", () -> builder().resistance(-0.0).build());
    // the reference lets a NaN resistance through; here it is rejected
    assertMessage(
        "'resistance' of nan must be a number", () -> builder().resistance(Double.NaN).build());
    assertMessage("'shape[1]' of 0 must be positive", () -> builder().shape(3, 0).build());
    assertMessage("'batch_size' of 0 must be positive", () -> builder().batchSize(0).build());
    assertMessage(
        "'time_constant' must be set",
        () ->
            LIF.builder()
                .shape(1)
                .stepTime(1)
                .restV(-65)
                .resetV(-70)
                .threshV(-50)
                .refracT(0)
                .build());
    LIF neuron = builder().build();
    assertMessage("'dt' of 0.0 must be positive", () -> neuron.setDt(0));
    assertMessage("'batchsz' of 0 must be positive", () -> neuron.setBatchSize(0));
    assertMessage("'steps' of -1 must be nonnegative", () -> neuron.skipIdle(-1));
    // validation order is the reference's: step_time before the voltages
    assertMessage(
        "'step_time' of -1.0 must be positive",
        () -> builder().stepTime(-1).restV(0).refracT(-1).build());
  }

  private static LIF.Builder builder() {
    return LIF.builder()
        .shape(3)
        .stepTime(1)
        .restV(-65)
        .resetV(-70)
        .threshV(-50)
        .refracT(2)
        .timeConstant(20);
  }

  @Test
  void settersCheckTheShapeAndNameBoth() {
    LIF neuron = builder().batchSize(2).build();
    assertMessage(
        "'voltage' of shape (3, 2) must have the batched shape (2, 3)",
        () -> neuron.setVoltage(Nd4j.zeros(DataType.FLOAT, 3, 2)));
    assertMessage(
        "'refrac' of shape (6,) must have the batched shape (2, 3)",
        () -> neuron.setRefrac(Nd4j.zeros(DataType.FLOAT, 6)));
    assertMessage(
        "'inputs' of shape (1, 3) must have the batched shape (2, 3)",
        () -> neuron.forward(Nd4j.zeros(DataType.FLOAT, 1, 3)));
    assertArrayEquals(
        bits(new float[] {-65, -65, -65, -65, -65, -65}), bits(floats(neuron.voltage())));
    // values of any numeric type are rounded to float32
    neuron.setVoltage(Nd4j.createFromArray(new double[][] {{0.1, 2, 3}, {4, 5, 6}}));
    assertEquals(0.1f, floats(neuron.voltage())[0]);
  }

  @Test
  void toStringAndParametersReadAsTheReference() {
    LIF neuron = builder().batchSize(2).resistance(1.5).build();
    assertEquals("LIF(shape=(3,), batchsz=2, dt=1.0)", neuron.toString());
    assertEquals(1.5, neuron.resistance());
    assertEquals(20.0, neuron.timeConstant());
    assertEquals(1.0, builder().build().resistance());
  }

  @Test
  void inputsOfOtherTypesAndViewsAreRoundedToFloat32() {
    LIF a = builder().build();
    LIF b = builder().build();
    double[] currents = {16.000000001, 1e-3, 15.3};
    a.forward(Nd4j.createFromArray(new double[][] {currents}));
    float[] rounded = new float[3];
    for (int i = 0; i < 3; i++) {
      rounded[i] = (float) currents[i];
    }
    INDArray wide =
        Nd4j.create(
            new float[] {0, rounded[0], 0, rounded[1], 0, rounded[2]}, new long[] {1, 6}, 'c');
    b.forward(
        wide.get(
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2, 6)));
    assertArrayEquals(bits(floats(a.voltage())), bits(floats(b.voltage())));
    assertArrayEquals(a.spikedIndices(), b.spikedIndices());
  }

  @Test
  void nanAndInfiniteInputsGiveNanVoltagesThatNeverSpike() {
    LIF neuron = builder().refracT(0).build();
    neuron.forward(Nd4j.createFromArray(new float[][] {{Float.NaN, Float.POSITIVE_INFINITY, 5}}));
    float[] v = floats(neuron.voltage());
    assertTrue(Float.isNaN(v[0]) && Float.isNaN(v[1]));
    assertArrayEquals(new int[0], neuron.spikedIndices());
    assertFalse(neuron.canSpikeWithoutInput());
  }

  /** A dense step split over two threads is the one-thread step, bit for bit. */
  @Test
  void twoThreadsStepAsOne() {
    Neuron[] neurons = new Neuron[2];
    for (int threads = 1; threads <= 2; threads++) {
      neurons[threads - 1] =
          LIF.builder()
              .shape(300_000)
              .stepTime(1)
              .restV(-65)
              .resetV(-70)
              .threshV(-50)
              .refracT(2)
              .timeConstant(20)
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
