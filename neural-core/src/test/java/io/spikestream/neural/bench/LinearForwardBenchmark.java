package io.spikestream.neural.bench;

import io.spikestream.neural.ALIF;
import io.spikestream.neural.LIF;
import io.spikestream.neural.Neuron;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One dense {@link LIF#forward} or {@link ALIF#forward} step of a group of {@code size} neurons
 * (batch 1, ALIF with one adaptation) on float32 currents drawn as {@code
 * bench/pytorch_reference.py} draws them for Inferno (20 (randn - rand) + 10 nA), with 1 or 2
 * threads. Throughput in steps/s; {@code bench/forward.sh} prints neuron-steps/s beside Inferno and
 * the memory yardstick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinearForwardBenchmark {

  @Param({"LIF", "ALIF"})
  public String model;

  @Param({"100", "10000", "1000000", "10000000"})
  public int size;

  @Param({"1", "2"})
  public int threads;

  private Neuron neuron;
  private INDArray currents;

  /** Builds the group and its input once, and steps it into its driven regime. */
  @Setup
  public void setUp() {
    neuron =
        model.equals("LIF")
            ? LIF.builder()
                .shape(size)
                .stepTime(1.0)
                .restV(-65.0)
                .resetV(-70.0)
                .threshV(-50.0)
                .refracT(2.0)
                .timeConstant(20.0)
                .threads(threads)
                .build()
            : ALIF.builder()
                .shape(size)
                .stepTime(1.0)
                .restV(-65.0)
                .resetV(-70.0)
                .threshEqV(-50.0)
                .refracT(2.0)
                .tcMembrane(20.0)
                .tcAdaptation(100.0)
                .spikeIncrement(1.0)
                .threads(threads)
                .build();
    Random random = new Random(1);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (20 * (random.nextGaussian() - random.nextDouble()) + 10);
    }
    currents = Nd4j.create(values, new long[] {1, size}, 'c');
    for (int s = 0; s < 50; s++) {
      neuron.forward(currents);
    }
  }

  /** The neuron step. */
  @Benchmark
  public INDArray forward() {
    return neuron.forward(currents);
  }
}
