package io.spikestream.job.bench;

import io.spikestream.neural.ExactNeuron;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the ND4J part of a dense step while a job runs beside it: a thread of its own calls {@link
 * ExactNeuron#forward} on a DOUBLE input of a group's size, as the job's dense step does, every 2
 * ms (so that it adds little load of its own), and keeps each call's wall time. The job's own calls
 * cannot be timed from outside; these run in the same process, with the same ND4J threads, on the
 * same busy cores.
 */
final class ForwardProbe implements AutoCloseable {

  private static final long INTERVAL_NANOS = 2_000_000;

  private final int neurons;
  private final Thread thread;
  private volatile boolean stopped;
  private long[] times = new long[1 << 16];
  private int count;

  /**
   * Starts the probe.
   *
   * @param neurons the group size
   */
  ForwardProbe(int neurons) {
    this.neurons = neurons;
    thread = new Thread(this::loop, "forward-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    ExactNeuron neuron =
        ExactNeuron.builder()
            .shape(neurons)
            .stepTime(1.0)
            .restV(-65.0)
            .threshV(-50.0)
            .batchSize(1)
            .build();
    INDArray input = Nd4j.create(DataType.DOUBLE, 1, neurons);
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < neurons; i++) {
      input.putScalar(0, i, random.nextInt(-1000, 1000) / 1000.0);
    }
    while (!stopped) {
      long start = System.nanoTime();
      neuron.forward(input);
      record(System.nanoTime() - start);
      LockSupport.parkNanos(INTERVAL_NANOS);
    }
  }

  private synchronized void record(long nanos) {
    if (count == times.length) {
      times = Arrays.copyOf(times, 2 * times.length);
    }
    times[count++] = nanos;
  }

  /** Forgets the calls timed so far. */
  synchronized void reset() {
    count = 0;
  }

  /**
   * The calls timed since the last {@link #reset}.
   *
   * @return for example {@code 1234 calls, median 41.2 µs, p90 95.0 µs}
   */
  synchronized String summary() {
    long[] sorted = Arrays.copyOf(times, count);
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return "no calls";
    }
    return String.format(
        Locale.ROOT,
        "%d calls, median %.1f µs, p90 %.1f µs",
        sorted.length,
        sorted[sorted.length / 2] / 1e3,
        sorted[(int) (sorted.length * 0.9)] / 1e3);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join();
  }
}
