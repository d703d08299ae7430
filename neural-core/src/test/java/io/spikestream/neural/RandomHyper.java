package io.spikestream.neural;

import java.util.Arrays;
import java.util.Random;

/**
 * Random shapes and hyperparameters in the reference tests' ranges: 1 to 4 dimensions of sizes 1 to
 * 9, step_time 0.5 to 1.5 ms, rest_v -70 to -60 mV, thresh_v -50 to -40 mV, batch 1 to 9.
 */
record RandomHyper(
    long seed, long[] shape, double stepTime, double restV, double threshV, int batchSize) {

  /** The base seed of every randomized test; set -Dspikestream.seed=N to replay another run. */
  static final long BASE_SEED = Long.getLong("spikestream.seed", 20261123L);

  static RandomHyper draw(long seed) {
    Random random = new Random(seed);
    long[] shape = new long[1 + random.nextInt(4)];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = 1 + random.nextInt(9);
    }
    return new RandomHyper(
        seed,
        shape,
        0.5 + random.nextDouble(),
        -70.0 + 10.0 * random.nextDouble(),
        -50.0 + 10.0 * random.nextDouble(),
        1 + random.nextInt(9));
  }

  ExactNeuron build() {
    return ExactNeuron.builder()
        .shape(shape)
        .stepTime(stepTime)
        .restV(restV)
        .threshV(threshV)
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
        + " thresh_v="
        + threshV
        + " batch_size="
        + batchSize;
  }
}
