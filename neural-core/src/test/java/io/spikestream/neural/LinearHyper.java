package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random LIF and ALIF hyperparameters in the reference tests' ranges (step_time 0.6 to 1.8 ms,
 * rest_v -70 to -60 mV, reset_v -75 to rest_v, thresh_v rest_v + 5 to -50, refrac_t 2 to 4 steps,
 * time constant 5 to 20 ms, resistance 1 to 1.5, batch 1 to 9; tc_adaptation 1e3 to 1e4 ms and
 * spike_increment 0.1 to 1.1 mV), widened where the reference tests never go: refrac_t 0 in one
 * draw of five, adaptation time constants down to 2 ms (faster than the membrane) and negative
 * increments in one draw of four, 1 to 4 adaptations; 1 to 3 dimensions of sizes 1 to 7.
 */
record LinearHyper(
    long seed,
    long[] shape,
    double stepTime,
    double restV,
    double resetV,
    double threshV,
    double refracT,
    double timeConstant,
    double resistance,
    int batchSize,
    double[] tcAdaptation,
    double[] spikeIncrement) {

  static LinearHyper draw(long seed) {
    Random random = new Random(seed);
    long[] shape = new long[1 + random.nextInt(3)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = 1 + random.nextInt(7);
    }
    double stepTime = 0.6 + 1.2 * random.nextDouble();
    double rest = -70 + 10 * random.nextDouble();
    double reset = -75 + (rest + 75) * random.nextDouble();
    double thresh = rest + 5 + (-50 - rest - 5) * random.nextDouble();
    double refracT = random.nextInt(5) == 0 ? 0.0 : (2 + 2 * random.nextDouble()) * stepTime;
    double tau = 5 + 15 * random.nextDouble();
    double resistance = 1 + 0.5 * random.nextDouble();
    int batch = 1 + random.nextInt(9);
    int k = 1 + random.nextInt(4);
    double[] tc = new double[k];
    double[] si = new double[k];
    boolean negative = random.nextInt(4) == 0;
    for (int i = 0; i < k; i++) {
      tc[i] = random.nextBoolean() ? 1e3 + 9e3 * random.nextDouble() : 2 + 48 * random.nextDouble();
      si[i] = (negative && random.nextBoolean() ? -1 : 1) * (0.1 + random.nextDouble());
    }
    return new LinearHyper(
        seed, shape, stepTime, rest, reset, thresh, refracT, tau, resistance, batch, tc, si);
  }

  /** These parameters moved by -rest_v, so that rest_v is 0 mV. */
  LinearHyper withRestAtZero() {
    return with(
        0.0, resetV - restV, threshV - restV, resistance, batchSize, tcAdaptation, spikeIncrement);
  }

  /** These parameters with batch size 1 and only the first adaptation. */
  LinearHyper withBatchOneAndOneAdaptation() {
    return with(
        restV,
        resetV,
        threshV,
        resistance,
        1,
        new double[] {tcAdaptation[0]},
        new double[] {spikeIncrement[0]});
  }

  /** These parameters with another resistance, MΩ. */
  LinearHyper withResistance(double ohms) {
    return with(restV, resetV, threshV, ohms, batchSize, tcAdaptation, spikeIncrement);
  }

  private LinearHyper with(
      double rest, double reset, double thresh, double ohms, int batch, double[] tc, double[] si) {
    return new LinearHyper(
        seed, shape, stepTime, rest, reset, thresh, refracT, timeConstant, ohms, batch, tc, si);
  }

  LIF lif() {
    return LIF.builder()
        .shape(shape)
        .stepTime(stepTime)
        .restV(restV)
        .resetV(resetV)
        .threshV(threshV)
        .refracT(refracT)
        .timeConstant(timeConstant)
        .resistance(resistance)
        .batchSize(batchSize)
        .build();
  }

  ALIF alif() {
    return ALIF.builder()
        .shape(shape)
        .stepTime(stepTime)
        .restV(restV)
        .resetV(resetV)
        .threshEqV(threshV)
        .refracT(refracT)
        .tcMembrane(timeConstant)
        .tcAdaptation(tcAdaptation)
        .spikeIncrement(spikeIncrement)
        .resistance(resistance)
        .batchSize(batchSize)
        .build();
  }

  long[] batchedShape() {
    long[] batched = new long[shape.length + 1];
    batched[0] = batchSize;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    return batched;
  }

  int neurons() {
    return (int) Arrays.stream(batchedShape()).reduce(1, (a, b) -> a * b);
  }

  /**
   * Currents of one step: zero in about one step of six, else per neuron zero, or a normal draw
   * large enough to drive some neurons over threshold within a few steps.
   */
  float[] currents(Random random) {
    float[] values = new float[neurons()];
    if (random.nextInt(6) == 0) {
      return values;
    }
    double scale = 10 + 30 * random.nextDouble();
    for (int i = 0; i < values.length; i++) {
      if (random.nextInt(3) > 0) {
        values[i] = (float) (scale * random.nextGaussian() + 0.8 * scale);
      }
    }
    return values;
  }

  INDArray array(float[] values) {
    return Nd4j.create(values, batchedShape(), 'c');
  }

  @Override
  public String toString() {
    return "seed="
        + seed
        + " shape="
        + Arrays.toString(shape)
        + " step_time="
        + stepTime
        + " rest_v="
        + restV
        + " reset_v="
        + resetV
        + " thresh_v="
        + threshV
        + " refrac_t="
        + refracT
        + " tau="
        + timeConstant
        + " R="
        + resistance
        + " batch="
        + batchSize
        + " tc_adaptation="
        + Arrays.toString(tcAdaptation)
        + " spike_increment="
        + Arrays.toString(spikeIncrement);
  }

  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  static float[] floats(INDArray array) {
    return array.dup('c').data().asFloat();
  }

  static boolean[] bools(INDArray array) {
    INDArray flat = array.dup('c').reshape(array.length());
    boolean[] values = new boolean[(int) array.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = flat.getDouble(i) != 0.0;
    }
    return values;
  }

  /** Asserts that a neuron's whole state equals the oracle's, bit for bit. */
  static void assertSameState(InfernoOracle oracle, Neuron neuron, String context) {
    assertArrayEquals(oracle.spike, bools(neuron.spike()), () -> context + ": spikes");
    assertArrayEquals(oracle.spikedIndices(), neuron.spikedIndices(), () -> context + ": indices");
    assertArrayEquals(
        bits(oracle.voltage), bits(floats(neuron.voltage())), () -> context + ": voltages");
    assertArrayEquals(
        bits(oracle.refrac), bits(floats(neuron.refrac())), () -> context + ": refracs");
    if (neuron instanceof ALIF alif) {
      assertArrayEquals(
          bits(oracle.adaptation),
          bits(floats(alif.thresholdAdaptation())),
          () -> context + ": adaptations");
    }
  }

  static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, action::run);
    assertEquals(expected, e.getMessage());
  }
}
