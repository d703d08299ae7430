package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Ports the reference's ExactNeuron tests (random shapes and hyperparameters, 100 random steps) and
 * adds what the JVM port promises beyond them.
 */
class ExactNeuronTest {

  private static final int REPETITIONS = 25;
  private static final int STEPS = 100;

  private static RandomHyper hyper(RepetitionInfo repetition) {
    return RandomHyper.draw(RandomHyper.BASE_SEED + repetition.getCurrentRepetition());
  }

  private static ExactNeuron neuron(long[] shape, int batchSize) {
    return ExactNeuron.builder()
        .shape(shape)
        .stepTime(1.0)
        .restV(-65.0)
        .threshV(-50.0)
        .batchSize(batchSize)
        .build();
  }

  /** STEPS steps of randn - rand currents, [STEPS, B, N...], as the reference draws them. */
  private static INDArray randomSteps(RandomHyper hyper, Random random) {
    long[] batched = hyper.batchedShape();
    long[] shape = new long[batched.length + 1];
    shape[0] = STEPS;
    System.arraycopy(batched, 0, shape, 1, batched.length);
    float[] values = new float[STEPS * hyper.neurons()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() - random.nextDouble());
    }
    return Nd4j.create(values, shape, 'c');
  }

  private static INDArray step(INDArray steps, int k) {
    INDArrayIndex[] index = new INDArrayIndex[steps.rank()];
    index[0] = NDArrayIndex.point(k);
    for (int d = 1; d < index.length; d++) {
      index[d] = NDArrayIndex.all();
    }
    return steps.get(index);
  }

  private static boolean[] bools(INDArray array) {
    INDArray flat = array.dup('c').reshape(array.length());
    boolean[] values = new boolean[(int) array.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = flat.getDouble(i) != 0.0;
    }
    return values;
  }

  private static float[] floats(INDArray array) {
    return array.dup('c').data().asFloat();
  }

  @RepeatedTest(REPETITIONS)
  void batchSizeShapeCountAndBatchedShapeFollowTheHyperparameters(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    assertEquals(hyper.batchSize(), neuron.batchSize(), hyper::toString);
    assertArrayEquals(hyper.shape(), neuron.shape(), hyper::toString);
    assertEquals(hyper.neurons() / hyper.batchSize(), neuron.count(), hyper::toString);
    assertArrayEquals(hyper.batchedShape(), neuron.batchedShape(), hyper::toString);
    assertEquals(hyper.stepTime(), neuron.dt(), hyper::toString);
  }

  @RepeatedTest(REPETITIONS)
  void spikesAreInputsAboveZero(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    INDArray steps = randomSteps(hyper, new Random(hyper.seed()));
    for (int k = 0; k < STEPS; k++) {
      INDArray x = step(steps, k);
      INDArray result = neuron.forward(x);
      boolean[] expected = expectedSpikes(x);
      int at = k;
      assertArrayEquals(expected, bools(neuron.spike()), () -> hyper + " step " + at);
      assertArrayEquals(expected, bools(result), hyper::toString);
      assertEquals(DataType.BOOL, result.dataType());
      assertArrayEquals(hyper.batchedShape(), result.shape());
    }
  }

  private static boolean[] expectedSpikes(INDArray x) {
    float[] values = floats(x);
    boolean[] expected = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      expected[i] = values[i] > 0;
    }
    return expected;
  }

  /**
   * A sparse step gives the spikes and state of a full step over the dense input holding the
   * in-order sums of its currents, and returns what spikedIndices() then returns.
   */
  @RepeatedTest(REPETITIONS)
  void aSparseStepEqualsAFullStepOverTheSummedInput(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron sparse = hyper.build();
    ExactNeuron full = hyper.build();
    Random random = new Random(hyper.seed() + 7);
    int n = hyper.neurons();
    double[] values = {
      0.0,
      -0.0,
      Double.NaN,
      1e-300,
      -1e-300,
      -1.0,
      1.0,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE
    };
    for (int k = 0; k < STEPS; k++) {
      int count = random.nextInt(41); // both sides of the small-step path, repeats when n is small
      // spare entries beyond count must be ignored
      int[] indices = new int[count + 2];
      double[] currents = new double[count + 1 + random.nextInt(2)];
      indices[count] = -1;
      indices[count + 1] = n;
      currents[count] = 5.0;
      double[] sums = new double[n];
      int distinct = Math.max(1, random.nextInt(n) + 1); // repeats are likely when small
      for (int j = 0; j < count; j++) {
        indices[j] = random.nextInt(distinct);
        currents[j] =
            random.nextBoolean() ? random.nextGaussian() : values[random.nextInt(values.length)];
        sums[indices[j]] += currents[j];
      }
      boolean[] expected = bools(full.forward(Nd4j.create(sums, hyper.batchedShape(), 'c')));
      int[] spiked = sparse.forwardSparse(indices, currents, count);
      int at = k;
      assertArrayEquals(expected, bools(sparse.spike()), () -> hyper + " step " + at);
      assertEquals(full.snapshot(), sparse.snapshot(), () -> hyper + " step " + at);
      assertArrayEquals(full.spikedIndices(), spiked, () -> hyper + " step " + at);
      assertArrayEquals(full.spikedIndices(), sparse.spikedIndices(), hyper::toString);
    }
  }

  /**
   * Sparse steps mixed with full steps, overrides, clears and restores give, step after step, the
   * spikes of a neuron stepped only by full steps: a sparse step clears what any earlier step set.
   */
  @RepeatedTest(REPETITIONS)
  void sparseStepsAmongOtherStepsEqualFullSteps(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron mixed = hyper.build();
    ExactNeuron full = hyper.build();
    Random random = new Random(hyper.seed() + 11);
    int n = hyper.neurons();
    SpikeSnapshot saved = full.snapshot();
    for (int k = 0; k < STEPS; k++) {
      int op = random.nextInt(10);
      if (op < 5) {
        int count = random.nextInt(op == 0 ? 40 : 3);
        int[] indices = random.ints(count, 0, n).toArray();
        double[] currents = random.doubles(count, -1, 1).toArray();
        double[] sums = new double[n];
        for (int j = 0; j < count; j++) {
          sums[indices[j]] += currents[j];
        }
        full.forward(Nd4j.create(sums, hyper.batchedShape(), 'c'));
        mixed.forwardSparse(indices, currents, count);
      } else if (op < 7) {
        INDArray x = Nd4j.rand(DataType.DOUBLE, hyper.batchedShape()).subi(0.5);
        full.forward(x);
        mixed.forward(x);
      } else if (op == 7) {
        INDArray override = Nd4j.rand(DataType.DOUBLE, hyper.batchedShape()).gt(0.5);
        full.forward(null, override);
        mixed.forward(null, override);
      } else if (op == 8) {
        full.clear();
        mixed.clear();
      } else if (random.nextBoolean()) {
        saved = full.snapshot();
      } else {
        full.restore(saved);
        mixed.restore(saved);
      }
      int at = k;
      int kind = op;
      assertArrayEquals(
          full.spikedIndices(),
          mixed.spikedIndices(),
          () -> hyper + " step " + at + " (op " + kind + ")");
      assertEquals(full.snapshot(), mixed.snapshot(), () -> hyper + " step " + at);
      // the spike array is read only now and then: runs of steps whose spikes nobody reads as an
      // array leave its bytes to be brought up to date by the next read
      if (random.nextInt(3) == 0) {
        assertArrayEquals(
            bools(full.spike()),
            bools(mixed.spike()),
            () -> hyper + " step " + at + " (op " + kind + ")");
      }
    }
  }

  @Test
  void aSparseStepWithBadArgumentsIsRejectedAndChangesNothing() {
    ExactNeuron neuron = neuron(new long[] {2, 3}, 1);
    neuron.forward(Nd4j.ones(DataType.DOUBLE, 1, 2, 3));
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> neuron.forwardSparse(new int[] {0, 6}, new double[] {1, 1}, 2));
    assertEquals("index 6 is out of range [0, 6)", range.getMessage());
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> neuron.forwardSparse(new int[] {-1}, new double[] {1}, 1));
    assertEquals("index -1 is out of range [0, 6)", negative.getMessage());
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> neuron.forwardSparse(new int[] {0, 1}, new double[] {1}, 2));
    assertEquals("'count' of 2 is out of range [0, 1]", count.getMessage());
    IllegalArgumentException below =
        assertThrows(
            IllegalArgumentException.class,
            () -> neuron.forwardSparse(new int[] {0}, new double[] {1}, -1));
    assertEquals("'count' of -1 is out of range [0, 1]", below.getMessage());
    IllegalArgumentException noIndices =
        assertThrows(
            IllegalArgumentException.class, () -> neuron.forwardSparse(null, new double[] {1}, 1));
    assertEquals("'indices' must not be null", noIndices.getMessage());
    IllegalArgumentException noCurrents =
        assertThrows(
            IllegalArgumentException.class, () -> neuron.forwardSparse(new int[] {0}, null, 1));
    assertEquals("'currents' must not be null", noCurrents.getMessage());
    assertEquals(6, neuron.spikedIndices().length, "state unchanged by a rejected step");
    assertArrayEquals(new int[0], neuron.forwardSparse(new int[0], new double[0], 0));
    assertEquals(0, neuron.spikedIndices().length, "an empty sparse step spikes nothing");
  }

  @RepeatedTest(REPETITIONS)
  void voltagesAreThresholdWhereSpikedAndRestElsewhere(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    INDArray steps = randomSteps(hyper, new Random(hyper.seed() + 1));
    for (int k = 0; k < STEPS; k++) {
      INDArray x = step(steps, k);
      neuron.forward(x);
      INDArray voltage = neuron.voltage();
      assertEquals(DataType.FLOAT, voltage.dataType());
      assertArrayEquals(hyper.batchedShape(), voltage.shape());
      float[] inputs = floats(x);
      float[] volts = floats(voltage);
      for (int i = 0; i < inputs.length; i++) {
        float expected = inputs[i] > 0 ? (float) hyper.threshV() : (float) hyper.restV();
        // bit for bit, not within a tolerance
        assertEquals(
            Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(volts[i]),
            hyper + " neuron " + i);
      }
    }
  }

  @RepeatedTest(REPETITIONS)
  void refracIsZeroBeforeAndAfterASet(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    assertAllZero(neuron.refrac(), hyper);
    neuron.setRefrac(Nd4j.rand(DataType.FLOAT, hyper.batchedShape()));
    assertAllZero(neuron.refrac(), hyper);
    neuron.forward(Nd4j.ones(DataType.FLOAT, hyper.batchedShape()));
    assertAllZero(neuron.refrac(), hyper);
  }

  private static void assertAllZero(INDArray refrac, RandomHyper hyper) {
    assertEquals(DataType.FLOAT, refrac.dataType());
    assertArrayEquals(hyper.batchedShape(), refrac.shape());
    for (float value : floats(refrac)) {
      assertEquals(0.0f, value, hyper::toString);
    }
  }

  @RepeatedTest(REPETITIONS)
  void setVoltageChangesNothing(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    neuron.forward(Nd4j.ones(DataType.FLOAT, hyper.batchedShape()));
    neuron.setVoltage(Nd4j.zeros(DataType.FLOAT, hyper.batchedShape()));
    for (float value : floats(neuron.voltage())) {
      assertEquals((float) hyper.threshV(), value);
    }
  }

  @RepeatedTest(REPETITIONS)
  void overrideDecidesTheSpikesWhateverTheInputs(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    Random random = new Random(hyper.seed() + 2);
    INDArray steps = randomSteps(hyper, random);
    for (int k = 0; k < 10; k++) {
      INDArray x = step(steps, k);
      boolean[] forced = new boolean[hyper.neurons()];
      for (int i = 0; i < forced.length; i++) {
        forced[i] = random.nextBoolean();
      }
      INDArray boolOverride = Nd4j.create(forced, hyper.batchedShape(), DataType.BOOL);
      assertArrayEquals(forced, bools(neuron.forward(x, boolOverride)), hyper::toString);
      INDArray numericOverride = boolOverride.castTo(DataType.DOUBLE).muli(-2.5);
      assertArrayEquals(forced, bools(neuron.forward(x, numericOverride)), hyper::toString);
      assertArrayEquals(forced, bools(neuron.forward(null, numericOverride)), hyper::toString);
      assertArrayEquals(expectedSpikes(x), bools(neuron.forward(x, null)), hyper::toString);
    }
  }

  @Test
  void overrideTreatsNaNAsNonzeroAndNegativeZeroAsZero() {
    ExactNeuron neuron = neuron(new long[] {4}, 1);
    INDArray override =
        Nd4j.createFromArray(new float[] {Float.NaN, -0.0f, 0.0f, 1e-45f}).reshape(1, 4);
    INDArray inputs = Nd4j.createFromArray(new float[] {-1f, 1f, 1f, -1f}).reshape(1, 4);
    assertArrayEquals(
        new boolean[] {true, false, false, true}, bools(neuron.forward(inputs, override)));
  }

  @Test
  void specialValuesOfFloatInputs() {
    float denormal = Float.MIN_VALUE;
    float[] values = {
      Float.NaN,
      0.0f,
      -0.0f,
      Float.POSITIVE_INFINITY,
      denormal,
      Float.NEGATIVE_INFINITY,
      -denormal,
      Float.MAX_VALUE
    };
    boolean[] expected = {false, false, false, true, true, false, false, true};
    ExactNeuron neuron = neuron(new long[] {values.length}, 1);
    INDArray x = Nd4j.createFromArray(values).reshape(1, values.length);
    assertArrayEquals(expected, bools(neuron.forward(x)));
  }

  @Test
  void specialValuesOfDoubleInputs() {
    double denormal = Double.MIN_VALUE;
    double[] values = {
      Double.NaN,
      0.0,
      -0.0,
      Double.POSITIVE_INFINITY,
      denormal,
      Double.NEGATIVE_INFINITY,
      -denormal,
      1e-300
    };
    boolean[] expected = {false, false, false, true, true, false, false, true};
    ExactNeuron neuron = neuron(new long[] {values.length}, 1);
    INDArray x = Nd4j.createFromArray(values).reshape(1, values.length);
    assertArrayEquals(expected, bools(neuron.forward(x)));
  }

  @ParameterizedTest
  @EnumSource(names = {"BYTE", "UBYTE", "SHORT", "INT", "LONG", "UINT32", "HALF", "BFLOAT16"})
  void integerAndNarrowInputsAreAccepted(DataType type) {
    ExactNeuron neuron = neuron(new long[] {2, 3}, 1);
    INDArray x =
        Nd4j.createFromArray(new double[] {-3, 0, 1, 5, -1, 2}).reshape(1, 2, 3).castTo(type);
    boolean[] expected =
        type.isSigned()
            ? new boolean[] {false, false, true, true, false, true}
            // unsigned types wrap -3 and -1 to large positive values
            : new boolean[] {true, false, true, true, true, true};
    assertArrayEquals(expected, bools(neuron.forward(x)), type::toString);
  }

  @Test
  void boolInputsSpikeWhereTrue() {
    ExactNeuron neuron = neuron(new long[] {3}, 1);
    INDArray x = Nd4j.create(new boolean[] {true, false, true}, new long[] {1, 3}, DataType.BOOL);
    assertArrayEquals(new boolean[] {true, false, true}, bools(neuron.forward(x)));
  }

  @Test
  void inputsOfAnyOrderingAndStridedViewsAreRead() {
    ExactNeuron neuron = neuron(new long[] {3, 4}, 2);
    INDArray base = Nd4j.rand(DataType.FLOAT, 2, 5, 3, 4).subi(0.5);
    INDArray strided =
        base.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all());
    assertArrayEquals(expectedSpikes(strided), bools(neuron.forward(strided)));
    INDArray fortran = strided.dup('f');
    assertArrayEquals(expectedSpikes(fortran), bools(neuron.forward(fortran)));
  }

  @Test
  void forwardReturnsTheSpikeBufferItself() {
    ExactNeuron neuron = neuron(new long[] {3}, 1);
    INDArray first = neuron.forward(Nd4j.createFromArray(new float[][] {{1, -1, 1}}));
    assertSame(neuron.spike(), first);
  }

  @Test
  void emptyShapeIsOneNeuron() {
    ExactNeuron neuron = neuron(new long[0], 3);
    assertEquals(1, neuron.count());
    assertArrayEquals(new long[] {3}, neuron.batchedShape());
    assertArrayEquals(
        new boolean[] {true, false, false},
        bools(neuron.forward(Nd4j.createFromArray(2f, -2f, 0f))));
    assertEquals("ExactNeuron(shape=(), batchsz=3, dt=1.0)", neuron.toString());
  }

  @Test
  void toStringPrintsAsTheReference() {
    ExactNeuron neuron =
        ExactNeuron.builder()
            .shape(3, 4)
            .stepTime(1.0)
            .restV(-65.0)
            .threshV(-50.0)
            .batchSize(2)
            .build();
    assertEquals("ExactNeuron(shape=(3, 4), batchsz=2, dt=1.0)", neuron.toString());
    assertEquals("shape=(3, 4), batchsz=2, dt=1.0", neuron.extraRepr());
    neuron.setDt(0.25);
    assertEquals("ExactNeuron(shape=(3, 4), batchsz=2, dt=0.25)", neuron.toString());
    assertEquals(
        "ExactNeuron(shape=(7,), batchsz=1, dt=0.5)",
        ExactNeuron.builder().shape(7).stepTime(0.5).restV(-1).threshV(1).build().toString());
  }

  @Test
  void builderDefaultsTheBatchSizeToOne() {
    ExactNeuron neuron = ExactNeuron.builder().shape(5).stepTime(1).restV(-65).threshV(-50).build();
    assertEquals(1, neuron.batchSize());
    assertEquals(-65.0, neuron.restV());
    assertEquals(-50.0, neuron.threshV());
  }

  private static void assertRejected(String message, Runnable action) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, action::run).getMessage());
  }

  private static ExactNeuron.Builder valid() {
    return ExactNeuron.builder().shape(3, 4).stepTime(1.0).restV(-65.0).threshV(-50.0);
  }

  @Test
  void validationMessagesHaveTheReferenceWording() {
    assertRejected("'step_time' of 0.0 must be positive", () -> valid().stepTime(0.0).build());
    assertRejected("'step_time' of -1.5 must be positive", () -> valid().stepTime(-1.5).build());
    assertRejected(
        "'step_time' of nan must be positive", () -> valid().stepTime(Double.NaN).build());
    assertRejected(
        "'rest_v' (-40.0) must be less than 'thresh_v' (-50.0)",
        () -> valid().restV(-40.0).build());
    assertRejected(
        "'rest_v' (-50.0) must be less than 'thresh_v' (-50.0)",
        () -> valid().restV(-50.0).build());
    assertRejected(
        "'rest_v' (-65.0) must be less than 'thresh_v' (nan)",
        () -> valid().threshV(Double.NaN).build());
    assertRejected("'shape[0]' of 0 must be positive", () -> valid().shape(0, 4).build());
    assertRejected("'shape[1]' of -2 must be positive", () -> valid().shape(3, -2).build());
    assertRejected("'batch_size' of 0 must be positive", () -> valid().batchSize(0).build());
    assertRejected("'shape' must be set", () -> ExactNeuron.builder().stepTime(1).build());
    assertRejected(
        "'step_time' must be set",
        () -> ExactNeuron.builder().shape(1).restV(-65).threshV(-50).build());
    assertRejected(
        "'rest_v' must be set",
        () -> ExactNeuron.builder().shape(1).stepTime(1).threshV(-50).build());
    assertRejected(
        "'thresh_v' must be set",
        () -> ExactNeuron.builder().shape(1).stepTime(1).restV(-65).build());
    assertRejected(
        "a group of shape (100000, 100000) and its batch hold more than 2147483639 neurons",
        () -> valid().shape(100_000, 100_000).build());

    ExactNeuron neuron = valid().build();
    assertRejected("'dt' of 0.0 must be positive", () -> neuron.setDt(0.0));
    assertRejected("'dt' of -inf must be positive", () -> neuron.setDt(Double.NEGATIVE_INFINITY));
    assertRejected("'batchsz' of 0 must be positive", () -> neuron.setBatchSize(0));
    assertRejected("'batchsz' of -1 must be positive", () -> neuron.setBatchSize(-1));
    assertEquals(1.0, neuron.dt());
    assertEquals(1, neuron.batchSize());
  }

  @Test
  void wrongShapeIsRejectedAndTheStateIsUnchanged() {
    ExactNeuron neuron = neuron(new long[] {3, 4}, 2);
    INDArray ones = Nd4j.ones(DataType.FLOAT, 2, 3, 4);
    INDArray before = neuron.forward(ones).dup();
    assertRejected(
        "'inputs' of shape (2, 12) must have the batched shape (2, 3, 4)",
        () -> neuron.forward(Nd4j.zeros(DataType.FLOAT, 2, 12)));
    assertRejected(
        "'inputs' of shape (3, 4) must have the batched shape (2, 3, 4)",
        () -> neuron.forward(Nd4j.zeros(DataType.FLOAT, 3, 4)));
    assertRejected(
        "'override' of shape (1, 3, 4) must have the batched shape (2, 3, 4)",
        () -> neuron.forward(ones, Nd4j.zeros(DataType.BOOL, 1, 3, 4)));
    assertRejected(
        "'inputs' of shape (1, 3, 4) must have the batched shape (2, 3, 4)",
        () ->
            neuron.forward(
                Nd4j.zeros(DataType.FLOAT, 1, 3, 4), Nd4j.zeros(DataType.BOOL, 2, 3, 4)));
    assertRejected("'inputs' must not be null", () -> neuron.forward(null));
    assertRejected(
        "'inputs' of data type UTF8 must be numeric or BOOL",
        () -> neuron.forward(Nd4j.create(Collections.nCopies(24, "a"), new long[] {2, 3, 4})));
    assertArrayEquals(bools(before), bools(neuron.spike()));
    assertArrayEquals(new long[] {2, 3, 4}, neuron.spike().shape());
  }

  @Test
  void setBatchSizeReallocatesClearedState() {
    ExactNeuron neuron = neuron(new long[] {3, 4}, 2);
    neuron.forward(Nd4j.ones(DataType.FLOAT, 2, 3, 4));
    neuron.setBatchSize(5);
    assertEquals(5, neuron.batchSize());
    assertArrayEquals(new long[] {5, 3, 4}, neuron.batchedShape());
    for (INDArray state : new INDArray[] {neuron.spike(), neuron.voltage(), neuron.refrac()}) {
      assertArrayEquals(new long[] {5, 3, 4}, state.shape());
    }
    assertArrayEquals(new boolean[60], bools(neuron.spike()));
    for (float v : floats(neuron.voltage())) {
      assertEquals(-65.0f, v);
    }
    assertArrayEquals(
        new long[] {5, 3, 4}, neuron.forward(Nd4j.ones(DataType.FLOAT, 5, 3, 4)).shape());
    assertRejected(
        "'inputs' of shape (2, 3, 4) must have the batched shape (5, 3, 4)",
        () -> neuron.forward(Nd4j.ones(DataType.FLOAT, 2, 3, 4)));
  }

  @Test
  void setBatchSizeToTheSameSizeKeepsTheSpikes() {
    ExactNeuron neuron = neuron(new long[] {2}, 1);
    neuron.forward(Nd4j.createFromArray(new float[][] {{1, -1}}));
    neuron.setBatchSize(1);
    assertArrayEquals(new boolean[] {true, false}, bools(neuron.spike()));
  }

  @RepeatedTest(REPETITIONS)
  void clearReturnsToRest(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    neuron.forward(Nd4j.ones(DataType.FLOAT, hyper.batchedShape()));
    neuron.clear();
    assertArrayEquals(new boolean[hyper.neurons()], bools(neuron.spike()));
    for (float v : floats(neuron.voltage())) {
      assertEquals((float) hyper.restV(), v);
    }
  }

  @RepeatedTest(REPETITIONS)
  void spikedIndicesListTheSpikesInAscendingOrder(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    INDArray x = step(randomSteps(hyper, new Random(hyper.seed() + 3)), 0);
    boolean[] spikes = bools(neuron.forward(x));
    int[] indices = neuron.spikedIndices();
    int k = 0;
    for (int i = 0; i < spikes.length; i++) {
      if (spikes[i]) {
        assertEquals(i, indices[k++]);
      }
    }
    assertEquals(k, indices.length);
  }

  @RepeatedTest(REPETITIONS)
  void snapshotRoundTripRestoresTheSpikes(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    INDArray x = step(randomSteps(hyper, new Random(hyper.seed() + 4)), 0);
    boolean[] spikes = bools(neuron.forward(x));
    SpikeSnapshot snapshot = neuron.snapshot();
    assertArrayEquals(hyper.batchedShape(), snapshot.batchedShape());
    for (int i = 0; i < spikes.length; i++) {
      assertEquals(spikes[i], snapshot.isSpike(i));
    }

    ExactNeuron restored = hyper.build();
    restored.restore(snapshot);
    assertArrayEquals(spikes, bools(restored.spike()), hyper::toString);
    assertArrayEquals(floats(neuron.voltage()), floats(restored.voltage()));
    assertEquals(snapshot, restored.snapshot());

    neuron.clear();
    neuron.restore(snapshot);
    assertArrayEquals(spikes, bools(neuron.spike()));
  }

  @Test
  void restoreIntoAnotherBatchedShapeIsRejected() {
    ExactNeuron source = neuron(new long[] {3, 4}, 2);
    source.forward(Nd4j.ones(DataType.FLOAT, 2, 3, 4));
    ExactNeuron target = neuron(new long[] {4, 3}, 2);
    assertRejected(
        "an ExactNeuron snapshot of batched shape (2, 3, 4) cannot be restored into "
            + "ExactNeuron(shape=(4, 3), batchsz=2, dt=1.0) of batched shape (2, 4, 3)",
        () -> target.restore(source.snapshot()));
    assertArrayEquals(new boolean[24], bools(target.spike()));
  }

  @Test
  void stepsWithManyInputTypesInTurnStayCorrect() {
    // one cached native op per input type: switching types must not reuse a mismatched op
    ExactNeuron neuron = neuron(new long[] {4}, 1);
    Consumer<INDArray> check =
        x ->
            assertArrayEquals(
                expectedSpikes(x.castTo(DataType.FLOAT)),
                bools(neuron.forward(x)),
                x.dataType()::toString);
    INDArray base = Nd4j.createFromArray(new double[][] {{-2, 3, 0, 7}});
    for (int round = 0; round < 3; round++) {
      for (DataType type :
          new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.INT, DataType.LONG}) {
        check.accept(base.castTo(type).muli(round % 2 == 0 ? 1 : -1));
      }
    }
    assertFalse(bools(neuron.spike())[0] && bools(neuron.spike())[1]);
    assertTrue(neuron.spike().shape().length == 2);
  }

  /** The model-generic idle API: nothing can spike without input, a skip only drops the spikes. */
  @RepeatedTest(REPETITIONS)
  void idleStepsDropTheSpikesAndNothingElse(RepetitionInfo repetition) {
    RandomHyper hyper = hyper(repetition);
    ExactNeuron neuron = hyper.build();
    assertFalse(neuron.canSpikeWithoutInput());
    INDArray x = Nd4j.rand(DataType.FLOAT, hyper.batchedShape()).subi(0.5);
    neuron.forward(x);
    int[] spiked = neuron.spikedIndices();
    neuron.skipIdle(0);
    assertArrayEquals(spiked, neuron.spikedIndices(), hyper::toString);
    neuron.skipIdle(Long.MAX_VALUE);
    assertFalse(neuron.canSpikeWithoutInput());
    assertArrayEquals(new int[0], neuron.spikedIndices(), hyper::toString);
    assertArrayEquals(new boolean[hyper.neurons()], bools(neuron.spike()), hyper::toString);
    // an explicit zero-input step equals the skip of one step
    neuron.forward(x);
    neuron.forwardSparse(new int[0], new double[0], 0);
    assertArrayEquals(new boolean[hyper.neurons()], bools(neuron.spike()), hyper::toString);
    assertThrows(IllegalArgumentException.class, () -> neuron.skipIdle(-1));
  }
}
