package io.spikestream.job.config;

import io.spikestream.neural.Checks;
import io.spikestream.neural.Neuron;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One neuron group of the groups file: its key, its model and hyperparameters, and the mapping from
 * event time to simulation steps.
 *
 * <p>Step k covers event time {@code [t0 + k*step_time, t0 + (k+1)*step_time)} in ms, with the
 * boundaries computed in double precision exactly as written, so the step of a time and the start
 * of a step always agree.
 *
 * @param id the group id, the stream's key; non-empty
 * @param neuron the neuron model and its hyperparameters
 * @param shape the group's shape without the batch, N...
 * @param batchSize the batch size, B; > 0
 * @param stepTime length of a simulation step, Δt, in ms; finite, > 0
 * @param t0 event time at which step 0 starts, in ms
 * @param eventCurrent the current an address event (of a camera input) adds to its neuron in its
 *     step, in nA; finite
 * @param pool the pooling of address events: an event at pixel (x, y) counts at neuron {@code (x /
 *     pool, y / pool)}, integer division; >= 1
 */
public record GroupConfig(
    String id,
    NeuronSpec neuron,
    long[] shape,
    int batchSize,
    double stepTime,
    double t0,
    double eventCurrent,
    int pool)
    implements Serializable {

  /** The current of one address event when the groups file does not say, in nA. */
  public static final double DEFAULT_EVENT_CURRENT = 1.0;

  /**
   * An ExactNeuron group whose address events are not pooled and add {@value
   * #DEFAULT_EVENT_CURRENT} nA each.
   *
   * @param id the group id
   * @param model {@code exact}
   * @param shape the shape without the batch
   * @param batchSize the batch size
   * @param stepTime the step length, in ms
   * @param restV the rest voltage, in mV
   * @param threshV the threshold voltage, in mV
   * @param t0 the start of step 0, in ms
   */
  public GroupConfig(
      String id,
      String model,
      long[] shape,
      int batchSize,
      double stepTime,
      double restV,
      double threshV,
      double t0) {
    this(
        id, exact(model, restV, threshV), shape, batchSize, stepTime, t0, DEFAULT_EVENT_CURRENT, 1);
  }

  private static NeuronSpec exact(String model, double restV, double threshV) {
    if (!model.equals(NeuronSpec.Exact.NAME)) {
      throw new IllegalArgumentException("only an exact model takes just rest_v and thresh_v");
    }
    return new NeuronSpec.Exact(restV, threshV);
  }

  /**
   * The model's name.
   *
   * @return {@code exact}, {@code lif} or {@code alif}
   */
  public String model() {
    return neuron.name();
  }

  /**
   * The largest event time magnitude accepted, in ms (2^53: beyond it, doubles skip whole
   * milliseconds).
   */
  public static final double MAX_TIME_MS = 9_007_199_254_740_992.0;

  /**
   * Neurons in a batched frame: the length of a dense {@code currents} array and the bound of flat
   * indices.
   *
   * @return B * product(shape)
   */
  public int neurons() {
    long n = batchSize;
    for (long size : shape) {
      n *= size;
    }
    return (int) n;
  }

  /**
   * The batched shape {@code [B, N...]}.
   *
   * @return a new array
   */
  public long[] batchedShape() {
    long[] batched = new long[shape.length + 1];
    batched[0] = batchSize;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    return batched;
  }

  /**
   * The step an event time falls in.
   *
   * @param t event time in ms, finite, >= t0
   * @return k such that {@code stepStart(k) <= t < stepStart(k + 1)}
   */
  public long stepOf(double t) {
    long k = (long) Math.floor((t - t0) / stepTime);
    // the division may round across a boundary; the boundaries as computed are authoritative
    while (stepStart(k + 1) <= t) {
      k++;
    }
    while (k > 0 && stepStart(k) > t) {
      k--;
    }
    return k;
  }

  /**
   * Start of a step, which is also the {@code t} of its spike record.
   *
   * @param step the step number k
   * @return {@code t0 + k * step_time} in ms
   */
  public double stepStart(long step) {
    return t0 + step * stepTime;
  }

  /**
   * The Flink event-time timer that runs a step: the step may run once the watermark W shows that
   * no event earlier than its end can come, i.e. once {@code W + 1 >= end} (Flink timestamps are
   * whole ms, {@code floor(t)}, and a watermark W promises no timestamp <= W follows).
   *
   * @param step the step number k
   * @return {@code ceil(stepStart(k + 1)) - 1}
   */
  public long timerOf(long step) {
    return (long) Math.ceil(stepStart(step + 1)) - 1;
  }

  /**
   * The first step whose timer ({@link #timerOf}) is at or after a timestamp: the steps that one
   * timer runs are {@code [firstStepOfTimer(ts), firstStepOfTimer(ts + 1))}.
   *
   * @param timestamp a Flink timestamp in ms
   * @return the smallest k >= 0 with {@code timerOf(k) >= timestamp}
   */
  public long firstStepOfTimer(long timestamp) {
    // timerOf(k) >= ts  <=>  stepStart(k + 1) > ts  <=>  k + 1 > stepOf(ts)
    if (timestamp < t0) {
      return 0;
    }
    double ts = timestamp;
    if (ts > MAX_TIME_MS) {
      return Long.MAX_VALUE / 2;
    }
    return stepOf(ts);
  }

  /**
   * A new neuron group of this group's model and hyperparameters, at rest.
   *
   * @return the neurons, of batched shape {@link #batchedShape}
   */
  public Neuron newNeuron() {
    return neuron.newNeuron(shape, batchSize, stepTime);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GroupConfig that
        && id.equals(that.id)
        && neuron.equals(that.neuron)
        && Arrays.equals(shape, that.shape)
        && batchSize == that.batchSize
        && Double.compare(stepTime, that.stepTime) == 0
        && Double.compare(t0, that.t0) == 0
        && Double.compare(eventCurrent, that.eventCurrent) == 0
        && pool == that.pool;
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "GroupConfig(id="
        + id
        + ", neuron="
        + neuron
        + ", shape="
        + Checks.tuple(shape)
        + ", batch_size="
        + batchSize
        + ", step_time="
        + Checks.repr(stepTime)
        + ", t0="
        + Checks.repr(t0)
        + ", event_current="
        + Checks.repr(eventCurrent)
        + ", pool="
        + pool
        + ")";
  }
}
