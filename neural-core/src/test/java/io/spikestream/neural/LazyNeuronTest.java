package io.spikestream.neural;

import static io.spikestream.neural.LinearHyper.assertSameState;
import static io.spikestream.neural.LinearHyper.bits;
import static io.spikestream.neural.LinearHyper.bools;
import static io.spikestream.neural.LinearHyper.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The idle-step machinery of LIF and ALIF: sparse steps, explicit zero-input steps and idle skips
 * give, step after step, what {@link InfernoOracle} gives stepping every neuron every step; {@code
 * canSpikeWithoutInput} is sound; idle steps and explicit zero-input steps cost what they should.
 */
class LazyNeuronTest {

  static final long SEED = RandomHyper.BASE_SEED + 3000;
  private static final int REPETITIONS = 20;

  @BeforeAll
  static void printSeed() {
    System.out.println("LazyNeuronTest seed " + SEED + " (-Dspikestream.seed=N replays another)");
  }

  private static LinearHyper hyper(RepetitionInfo repetition, int salt) {
    return LinearHyper.draw(SEED + 100L * salt + repetition.getCurrentRepetition());
  }

  private static LazyNeuron build(LinearHyper hyper, boolean adaptive) {
    return adaptive ? hyper.alif() : hyper.lif();
  }

  private static InfernoOracle oracleOf(LazyNeuron neuron) {
    return neuron instanceof ALIF alif ? InfernoOracle.of(alif) : InfernoOracle.of((LIF) neuron);
  }

  @RepeatedTest(REPETITIONS)
  void randomSequencesOfStepsSkipsAndSettersEqualTheOracle(RepetitionInfo repetition) {
    for (boolean adaptive : new boolean[] {false, true}) {
      LinearHyper hyper = hyper(repetition, adaptive ? 1 : 0);
      runSequence(hyper, adaptive, new Random(hyper.seed() * 31 + (adaptive ? 1 : 0)));
    }
  }

  /**
   * The same sequences for LIF where its idle replays cannot take their short rule (see {@code
   * LIF.idleSteps}): rest_v at 0 mV, where rest_v + x may be -0.0, and a negative resistance, where
   * R * 0 is -0.0. The draws of {@link LinearHyper} take the short rule.
   */
  @RepeatedTest(REPETITIONS)
  void idleReplaysOutsideTheShortRuleEqualTheOracle(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition, 2);
    runSequence(hyper.withRestAtZero(), false, new Random(hyper.seed() * 31 + 2));
    runSequence(
        hyper.withResistance(-hyper.resistance()), false, new Random(hyper.seed() * 31 + 3));
  }

  /**
   * The same sequences for ALIF with batch size 1 and one adaptation, where idle replays take the
   * short rule in registers (see {@code ALIF.idleSteps}), and for such an ALIF where they cannot
   * (rest_v 0, a negative resistance).
   */
  @RepeatedTest(REPETITIONS)
  void singleAlifIdleReplaysEqualTheOracle(RepetitionInfo repetition) {
    LinearHyper hyper = hyper(repetition, 3).withBatchOneAndOneAdaptation();
    runSequence(hyper, true, new Random(hyper.seed() * 31 + 4));
    runSequence(hyper.withRestAtZero(), true, new Random(hyper.seed() * 31 + 5));
    runSequence(hyper.withResistance(-hyper.resistance()), true, new Random(hyper.seed() * 31 + 6));
  }

  private static void runSequence(LinearHyper hyper, boolean adaptive, Random random) {
    DecayTable.forgetShared(); // each draw is a parameter set of its own: give it its table
    LazyNeuron neuron = build(hyper, adaptive);
    InfernoOracle oracle = oracleOf(neuron);
    int n = hyper.neurons();
    int skipped = 0;
    for (int op = 0; op < 150; op++) {
      String context = hyper + (adaptive ? " ALIF" : " LIF") + " op " + op;
      int kind = random.nextInt(20);
      if (kind < 6) {
        // a sparse step: a few neurons, repeats likely, float64 sums rounded to float32 once
        int count = random.nextInt(9);
        int[] indices = new int[count];
        double[] currents = new double[count];
        double[] sums = new double[n];
        for (int j = 0; j < count; j++) {
          indices[j] = random.nextInt(n);
          currents[j] = 40 * random.nextGaussian() + 20;
          sums[indices[j]] += currents[j];
        }
        int[] spiked = neuron.forwardSparse(indices, currents, count);
        oracle.step(toFloat(sums));
        assertArrayEquals(oracle.spikedIndices(), spiked, context);
      } else if (kind < 8) {
        float[] x = hyper.currents(random);
        neuron.forward(hyper.array(x));
        oracle.step(x);
      } else if (kind < 10) {
        neuron.forwardSparse(new int[0], new double[0], 0);
        oracle.step(new float[n]);
      } else if (kind < 14) {
        long steps = random.nextBoolean() ? random.nextInt(4) : random.nextInt(3000);
        if (neuron.canSpikeWithoutInput()) {
          // hot: step explicitly, costing the hot units only
          for (long s = 0; s < Math.min(steps, 200); s++) {
            neuron.forwardSparse(new int[0], new double[0], 0);
            oracle.step(new float[n]);
            assertArrayEquals(oracle.spikedIndices(), neuron.spikedIndices(), context);
          }
        } else {
          neuron.skipIdle(steps);
          for (long s = 0; s < steps; s++) {
            oracle.step(new float[n]);
            assertArrayEquals(new int[0], oracle.spikedIndices(), () -> context + " unsound");
          }
          skipped += steps;
          if (steps > 0) {
            assertArrayEquals(new boolean[n], bools(neuron.spike()), context);
          }
        }
      } else if (kind == 14) {
        boolean keep = random.nextBoolean();
        if (neuron instanceof ALIF alif) {
          alif.clear(keep);
        } else {
          neuron.clear();
          keep = true;
        }
        oracle.clear(keep);
      } else if (kind == 15) {
        float[] v = randomVoltages(hyper, random, n);
        neuron.setVoltage(hyper.array(v));
        oracle.voltage = v;
      } else if (kind == 16) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
          r[i] = random.nextInt(3) == 0 ? (float) (random.nextInt(5) * hyper.stepTime()) : 0f;
        }
        neuron.setRefrac(hyper.array(r));
        oracle.refrac = r;
      } else if (kind == 17 && neuron instanceof ALIF alif) {
        float[] a = new float[oracle.adaptation.length];
        for (int j = 0; j < a.length; j++) {
          a[j] = (float) (random.nextInt(4) == 0 ? -random.nextDouble() : 3 * random.nextDouble());
        }
        alif.setThresholdAdaptation(Nd4j.create(a, alif.adaptationShape(), 'c'));
        oracle.adaptation = a;
      } else if (kind == 18) {
        NeuronSnapshot snapshot = neuron.snapshot();
        LazyNeuron restored = build(hyper, adaptive);
        restored.restore(snapshot);
        assertEquals(snapshot, restored.snapshot(), context);
        neuron = restored;
      } else {
        assertSameState(oracle, neuron, context);
      }
      assertArrayEquals(oracle.spikedIndices(), neuron.spikedIndices(), context);
      assertArrayEquals(oracle.spike, bools(neuron.spike()), context);
    }
    assertSameState(oracle, neuron, hyper + " at the end, " + skipped + " steps skipped");
  }

  /** Voltages around rest and threshold, a few far above threshold, a few NaN. */
  private static float[] randomVoltages(LinearHyper hyper, Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(8)) {
        case 0 -> v[i] = (float) hyper.restV();
        case 1 -> v[i] = (float) hyper.threshV();
        case 2 -> v[i] = Math.nextDown((float) hyper.threshV());
        case 3 -> v[i] = (float) (hyper.threshV() + 20 * random.nextDouble());
        case 4 -> v[i] = random.nextInt(10) == 0 ? Float.NaN : (float) hyper.resetV();
        default ->
            v[i] =
                (float) (hyper.restV() + (hyper.threshV() - hyper.restV()) * random.nextDouble());
      }
    }
    return v;
  }

  private static float[] toFloat(double[] sums) {
    float[] x = new float[sums.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) sums[i];
    }
    return x;
  }

  /**
   * Soundness: from random states (voltages near rest and threshold, refractory periods,
   * adaptations of both signs), whenever canSpikeWithoutInput() is false, 3000 zero-input steps of
   * the oracle spike nowhere. The hot ones are counted to show the check is not vacuous.
   */
  @RepeatedTest(REPETITIONS)
  void whenItSaysNoSpikeNoLongIdleRunSpikes(RepetitionInfo repetition) {
    int cold = 0;
    int hot = 0;
    for (boolean adaptive : new boolean[] {false, true}) {
      LinearHyper hyper = hyper(repetition, adaptive ? 3 : 2);
      Random random = new Random(hyper.seed());
      int n = hyper.neurons();
      for (int trial = 0; trial < 6; trial++) {
        LazyNeuron neuron = build(hyper, adaptive);
        InfernoOracle oracle = oracleOf(neuron);
        // drive first, so that adaptations and refractory periods are real ones
        for (int s = 0; s < random.nextInt(20); s++) {
          float[] x = hyper.currents(random);
          neuron.forward(hyper.array(x));
          oracle.step(x);
        }
        if (random.nextBoolean()) {
          float[] v = floats(neuron.voltage());
          for (int i = 0; i < n; i++) {
            if (random.nextInt(n) == 0) {
              v[i] = randomVoltages(hyper, random, 1)[0];
            }
          }
          neuron.setVoltage(hyper.array(v));
          oracle.voltage = v;
        }
        if (neuron.canSpikeWithoutInput()) {
          hot++;
          continue;
        }
        cold++;
        for (int s = 0; s < 3000; s++) {
          oracle.step(new float[n]);
          int step = s;
          assertArrayEquals(
              new int[0], oracle.spikedIndices(), () -> hyper + " idle step " + step + " spiked");
        }
      }
    }
    assertTrue(cold > 0, "no cold state was drawn");
    System.out.println("soundness trials: " + cold + " cold (checked), " + hot + " hot");
  }

  @Test
  void predicateSeesNeuronsThatWillSpike() {
    LIF lif =
        LIF.builder()
            .shape(4)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshV(-50)
            .refracT(5)
            .timeConstant(20)
            .build();
    assertFalse(lif.canSpikeWithoutInput());
    lif.setVoltage(Nd4j.createFromArray(new float[][] {{-65, -40, -65, -65}}));
    lif.setRefrac(Nd4j.createFromArray(new float[][] {{0, 3, 0, 0}}));
    assertTrue(lif.canSpikeWithoutInput());
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> lif.skipIdle(5));
    assertEquals(
        "cannot skip idle steps: LIF(shape=(4,), batchsz=1, dt=1.0) can spike without input "
            + "(1 neuron, for example flat index 1)",
        refused.getMessage());
    lif.skipIdle(0); // zero steps change nothing, hot or not
    // held while refractory: 3 ms left, 2 after the first step, 1 after the second, then 0
    // and the integrated voltage spikes in that same third step
    for (int s = 0; s < 2; s++) {
      assertArrayEquals(new int[0], lif.forwardSparse(new int[0], new double[0], 0));
    }
    assertArrayEquals(new int[] {1}, lif.forwardSparse(new int[0], new double[0], 0));
    assertFalse(lif.canSpikeWithoutInput());

    // ALIF: a threshold that decays faster than the voltage lets an idle neuron spike later
    ALIF alif =
        ALIF.builder()
            .shape(1)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshEqV(-50)
            .refracT(0)
            .tcMembrane(100)
            .tcAdaptation(2)
            .spikeIncrement(20)
            .build();
    alif.setThresholdAdaptation(Nd4j.createFromArray(new float[][] {{20}}));
    alif.setVoltage(Nd4j.createFromArray(new float[][] {{-45}}));
    assertTrue(alif.canSpikeWithoutInput());
    int firstSpike = -1;
    for (int s = 0; s < 10 && firstSpike < 0; s++) {
      if (alif.forwardSparse(new int[0], new double[0], 0).length > 0) {
        firstSpike = s;
      }
    }
    assertTrue(firstSpike > 0, "the threshold fell below the voltage: " + firstSpike);
    // a negative increment lowers the threshold: hot until the adaptation freezes
    ALIF negative =
        ALIF.builder()
            .shape(1)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshEqV(-50)
            .refracT(0)
            .tcMembrane(20)
            .tcAdaptation(50)
            .spikeIncrement(-1)
            .build();
    negative.forward(Nd4j.createFromArray(new float[][] {{1000}}));
    assertTrue(negative.canSpikeWithoutInput());
  }

  /** A skip of 2^60 steps is O(1), and the catch-up stops at the fixed point. */
  @RepeatedTest(5)
  void anAstronomicalSkipEqualsTheOracleRunToItsFixedPoint(RepetitionInfo repetition) {
    for (boolean adaptive : new boolean[] {false, true}) {
      LinearHyper hyper = hyper(repetition, adaptive ? 5 : 4);
      LazyNeuron neuron = build(hyper, adaptive);
      InfernoOracle oracle = oracleOf(neuron);
      Random random = new Random(hyper.seed());
      for (int s = 0; s < 30; s++) {
        float[] x = hyper.currents(random);
        neuron.forward(hyper.array(x));
        oracle.step(x);
      }
      int guard = 0;
      while (neuron.canSpikeWithoutInput() && guard++ < 100_000) {
        neuron.forwardSparse(new int[0], new double[0], 0);
        oracle.step(new float[hyper.neurons()]);
      }
      if (neuron.canSpikeWithoutInput()) {
        continue; // a negative adaptation still thawing: nothing to skip
      }
      neuron.skipIdle(1L << 60);
      // the oracle to its fixed point: a step that changes nothing
      for (int s = 0; s < 2_000_000; s++) {
        float[] v = oracle.voltage.clone();
        float[] r = oracle.refrac.clone();
        float[] a = oracle.adaptation.clone();
        oracle.step(new float[hyper.neurons()]);
        if (Arrays.equals(bits(v), bits(oracle.voltage))
            && Arrays.equals(bits(r), bits(oracle.refrac))
            && Arrays.equals(bits(a), bits(oracle.adaptation))) {
          break;
        }
      }
      assertSameState(oracle, neuron, hyper + " after 2^60 idle steps");
    }
  }

  @Test
  void idleStepsCostTheHotNeuronsOnly() {
    LIF lif =
        LIF.builder()
            .shape(100_000)
            .stepTime(1)
            .restV(-65)
            .resetV(-70)
            .threshV(-50)
            .refracT(2)
            .timeConstant(20)
            .build();
    float[] v = new float[100_000];
    Arrays.fill(v, -65f);
    v[777] = -49f; // above threshold: hot
    lif.setVoltage(Nd4j.create(v, new long[] {1, 100_000}, 'c'));
    long before = lif.unitSteps;
    assertArrayEquals(new int[] {777}, lif.forwardSparse(new int[0], new double[0], 0));
    assertEquals(1, lif.unitSteps - before, "an explicit zero-input step costs its hot neurons");
    assertFalse(lif.canSpikeWithoutInput());
    before = lif.unitSteps;
    lif.skipIdle(1_000_000_000L);
    lif.skipIdle(1_000_000_000L);
    assertEquals(0, lif.unitSteps - before, "a skip costs nothing");
    lif.forwardSparse(new int[] {5, 5, 9}, new double[] {1, 2, 3}, 3);
    long replays = lif.unitSteps - before;
    assertTrue(replays < 1000, "two listed neurons caught up in " + replays + " unit steps");
    assertEquals(DataType.FLOAT, lif.voltage().dataType());
  }

  /** forwardSparse equals forward over the dense float64 sums rounded to float32 once. */
  @RepeatedTest(REPETITIONS)
  void aSparseStepEqualsADenseStepOverTheSummedInput(RepetitionInfo repetition) {
    for (boolean adaptive : new boolean[] {false, true}) {
      LinearHyper hyper = hyper(repetition, adaptive ? 7 : 6);
      LazyNeuron sparse = build(hyper, adaptive);
      LazyNeuron dense = build(hyper, adaptive);
      // another group stepped sparsely in between on the same thread, which shares its summing
      // table with the first: nothing of one step may reach the other's
      LinearHyper otherHyper = hyper(repetition, adaptive ? 9 : 8);
      LazyNeuron other = build(otherHyper, !adaptive);
      Random random = new Random(hyper.seed());
      int n = hyper.neurons();
      double[] special = {0.0, -0.0, Double.NaN, 1e-300, -1e300, Double.POSITIVE_INFINITY, 1e-40};
      Function<Integer, String> context = k -> hyper + " step " + k;
      for (int k = 0; k < 60; k++) {
        int count = random.nextInt(30);
        int[] indices = new int[count];
        double[] currents = new double[count];
        double[] sums = new double[n];
        int distinct = 1 + random.nextInt(n);
        for (int j = 0; j < count; j++) {
          indices[j] = random.nextInt(distinct);
          currents[j] =
              random.nextInt(20) == 0
                  ? special[random.nextInt(special.length)]
                  : 40 * random.nextGaussian() + 10;
          sums[indices[j]] += currents[j];
        }
        int otherCount = random.nextInt(40);
        other.forwardSparse(
            random.ints(otherCount, 0, otherHyper.neurons()).toArray(),
            random.doubles(otherCount, -50, 80).toArray(),
            otherCount);
        int[] spiked = sparse.forwardSparse(indices, currents, count);
        dense.forward(hyper.array(toFloat(sums)));
        int step = k;
        assertArrayEquals(dense.spikedIndices(), spiked, () -> context.apply(step));
        assertArrayEquals(bools(dense.spike()), bools(sparse.spike()), () -> context.apply(step));
        if (k % 10 == 9) {
          assertEquals(dense.snapshot(), sparse.snapshot(), () -> context.apply(step));
        }
      }
    }
  }

  @Test
  void badSparseArgumentsAreRejectedAndChangeNothing() {
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
    lif.forward(Nd4j.createFromArray(new float[][] {{1000, 0, 0}}));
    LIFSnapshot before = lif.snapshot();
    LinearHyper.assertMessage(
        "index 3 is out of range [0, 3)",
        () -> lif.forwardSparse(new int[] {0, 3}, new double[] {1, 1}, 2));
    LinearHyper.assertMessage(
        "'count' of 3 is out of range [0, 2]",
        () -> lif.forwardSparse(new int[] {0, 1}, new double[] {1, 1, 1}, 3));
    LinearHyper.assertMessage(
        "'indices' must not be null", () -> lif.forwardSparse(null, new double[0], 0));
    assertEquals(before, lif.snapshot());
    assertArrayEquals(new int[] {0}, lif.spikedIndices());
  }
}
