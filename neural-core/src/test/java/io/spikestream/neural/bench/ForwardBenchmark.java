package io.spikestream.neural.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.spikestream.neural.ExactNeuron;
import io.spikestream.neural.SpikeSnapshot;
import io.spikestream.neural.SpikeSnapshotSerializer;
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
 * One {@link ExactNeuron#forward} step of a group of {@code size} neurons (batch 1) on float32
 * currents drawn as the PyTorch reference draws them (randn - rand). Throughput in steps/s;
 * neuron-steps/s is that times {@code size} ({@code bench/forward.sh} prints both, beside the
 * reference).
 *
 * <p>Also measured: deriving the voltage, and the state's way into and out of Flink (snapshot and
 * Kryo serialization, restore).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForwardBenchmark {

  @Param({"100", "10000", "1000000", "10000000"})
  public int size;

  private ExactNeuron neuron;
  private INDArray currents;
  private Kryo kryo;
  private Output output;
  private byte[] serialized;
  private SpikeSnapshot snapshot;

  /** Builds the neuron and its input once: forward is measured, not allocation. */
  @Setup
  public void setUp() {
    neuron = ExactNeuron.builder().shape(size).stepTime(1.0).restV(-65.0).threshV(-50.0).build();
    Random random = new Random(1);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextGaussian() - random.nextDouble());
    }
    currents = Nd4j.create(values, new long[] {1, size}, 'c');
    neuron.forward(currents);
    kryo = new Kryo();
    kryo.register(SpikeSnapshot.class, new SpikeSnapshotSerializer());
    output = new Output(size / 8 + 64, -1);
    snapshot = neuron.snapshot();
    output.reset();
    kryo.writeObject(output, snapshot);
    serialized = output.toBytes();
  }

  /** The neuron step: spikes where the current is positive. */
  @Benchmark
  public INDArray forward() {
    return neuron.forward(currents);
  }

  /** The derived voltage, a new float32 array. */
  @Benchmark
  public INDArray voltage() {
    return neuron.voltage();
  }

  /** Bit-packs the spike buffer and writes it with Kryo, as a Flink checkpoint does. */
  @Benchmark
  public int snapshotAndSerialize() {
    output.reset();
    kryo.writeObject(output, neuron.snapshot());
    return output.position();
  }

  /** Reads a serialized snapshot with Kryo and restores it into the neuron. */
  @Benchmark
  public INDArray deserializeAndRestore() {
    neuron.restore(kryo.readObject(new Input(serialized), SpikeSnapshot.class));
    return neuron.spike();
  }
}
