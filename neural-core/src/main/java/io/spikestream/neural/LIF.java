package io.spikestream.neural;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Leaky integrate-and-fire neurons: the JVM counterpart of Inferno's {@code LIF}, stepping bit for
 * bit as Inferno does on PyTorch in float32.
 *
 * <p>Update rule, for each neuron of the batched shape {@code [B, N...]}, as Inferno's {@code
 * forward} with {@code refrac_lock} on; every quantity is float32 and every operation rounded to
 * float32 in this order, the parameters rounded to float32 first:
 *
 * <pre>
 *   refrac'  = max(refrac - Δt, 0)                 (NaN stays NaN)
 *   m        = refrac' == 0                        (not refractory)
 *   V'       = rest_v + ((V - rest_v) - R I) decay + R I      where m, V elsewhere
 *   spike    = m and V' >= thresh_v
 *   V        = reset_v where spike, V' elsewhere
 *   refrac   = refrac_t where spike, refrac' elsewhere
 * </pre>
 *
 * with decay = exp(-Δt / τ<sub>m</sub>) computed in float64 (correctly rounded, as Python's {@code
 * math.exp} all but always is) and rounded to float32, I the input in nA (rounded to float32 once),
 * V in mV, refrac in ms.
 *
 * <p>Fixed here, unlike the reference: {@link #spike} is the last step's spikes (Inferno derives it
 * from {@code refrac == refrac_t}, so with {@code refrac_t = 0} every neuron reads as spiking); a
 * NaN resistance is rejected; inputs of another shape are rejected; {@link #setBatchSize}
 * reallocates the state at rest. Inputs of any numeric type are rounded to float32 (Inferno would
 * compute in float64 for a float64 input).
 *
 * <p><b>Idle steps.</b> A neuron is <em>cold</em> when no run of zero-input steps from its state
 * can spike: its voltage is NaN, or at or below rest_v (with rest_v below thresh_v in float32), or
 * below thresh_v with one zero-input integration not raising it, or one zero-input step leaves it
 * bit-identical without a spike (the argument is in {@code LinearKernel.voltageCold}: one float32
 * integration is monotone in V, so its iterates are monotone). {@link #canSpikeWithoutInput} is
 * true while some neuron is not cold (for example after {@link #setVoltage} above thresh_v). Cold
 * neurons are left behind by {@link #forwardSparse} and {@link #skipIdle} and replay their
 * zero-input steps when next touched, one by one until a step leaves them unchanged: an idle
 * voltage freezes a few float32 ulps from rest_v (up to about 0.5 / (1 - decay) ulps), after a
 * number of steps proportional to τ<sub>m</sub> / Δt. Within a fraction of a mV of rest_v the steps
 * to that fixed point and the fixed point itself are looked up ({@code DecayTable}, computed by the
 * same rule the first time a voltage needs them).
 *
 * <pre>{@code
 * LIF neuron = LIF.builder()
 *     .shape(3, 4).stepTime(1.0).restV(-65.0).resetV(-70.0).threshV(-50.0)
 *     .refracT(2.0).timeConstant(20.0).batchSize(2).build();
 * }</pre>
 */
public final class LIF extends LinearNeuron {

  private final double restV;
  private final double resetV;
  private final double threshV;
  private final double refracT;
  private final double timeConstant;
  private final double resistance;

  // the parameters as PyTorch rounds them, and the decay of the present step time
  private float dt;
  private float decay;
  private final float rest;
  private final float reset;
  private final float thresh;
  private final float refracPeriod;
  private final float ohms;

  /** See {@link #idleSteps}. */
  private final boolean plainDecay;

  /** The short rule's trajectories near rest, or null where no table applies. */
  private DecayTable table;

  /** How near rest_v, mV, a voltage is looked up in {@link #table} (-1 without a table). */
  private float nearRest;

  /** Voltages at or below this are cold (see {@code LinearKernel.coldLimit}). */
  private final float coldLimit;

  /** The constants of a dense step at the present step time. */
  private DenseStep dense;

  /** Threads a dense step may use. */
  private final int threads;

  private LIF(Builder b) {
    super(b.shape, b.batchSize);
    this.stepTime = Checks.positive("step_time", b.stepTime);
    this.restV = Checks.lessThan("rest_v", b.restV, "thresh_v", b.threshV);
    this.resetV = Checks.lessThan("reset_v", b.resetV, "thresh_v", b.threshV);
    this.threshV = b.threshV;
    this.refracT = Checks.nonnegative("refrac_t", b.refracT);
    this.timeConstant = Checks.positive("time_constant", b.timeConstant);
    this.resistance = Checks.nonzero("resistance", b.resistance);
    rest = (float) restV;
    reset = (float) resetV;
    thresh = (float) threshV;
    refracPeriod = (float) refracT;
    ohms = (float) resistance;
    coldLimit = LinearKernel.coldLimit(rest, thresh);
    plainDecay = plainDecay();
    threads = (int) Checks.positive("threads", b.threads);
    setStepConstants();
    reallocate();
  }

  @Override
  void setStepConstants() {
    dt = (float) stepTime;
    decay = (float) ExactExp.exp(-stepTime / timeConstant);
    table = DecayTable.of(rest, decay, thresh);
    nearRest = table == null ? -1f : table.radius();
    dense = new DenseStep(dt, rest, decay, ohms, thresh, reset, refracPeriod, coldLimit, 0f, 0f);
  }

  /**
   * Whether R * 0 is +0.0 and rest_v nonzero, so that {@link #idleSteps} may use its short rule.
   */
  private boolean plainDecay() {
    return Float.floatToRawIntBits(ohms * 0f) == 0 && rest != 0f;
  }

  /**
   * Starts building a LIF group; shape, step time, the voltages, the refractory period and the time
   * constant are required; the resistance defaults to 1.0 and the batch size to 1.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void reallocate() {
    int n = (int) (count() * batchSize());
    voltage = new float[n];
    java.util.Arrays.fill(voltage, rest);
    refrac = new float[n];
    spikes = new SpikeBuffer(batchedShape());
    resetLazyState();
    recomputeHot();
  }

  /**
   * @return rest_v, the membrane voltage at equilibrium, V<sub>rest</sub>, in mV
   */
  public double restV() {
    return restV;
  }

  /**
   * @return reset_v, the membrane voltage after a spike, V<sub>reset</sub>, in mV
   */
  public double resetV() {
    return resetV;
  }

  /**
   * @return thresh_v, the membrane voltage at which a neuron spikes, in mV
   */
  public double threshV() {
    return threshV;
  }

  /**
   * @return refrac_t, the length of the absolute refractory period, in ms
   */
  public double refracT() {
    return refracT;
  }

  /**
   * @return time_constant, τ<sub>m</sub>, of the membrane voltage's decay, in ms
   */
  public double timeConstant() {
    return timeConstant;
  }

  /**
   * @return resistance, R<sub>m</sub>, across the membrane, in MΩ
   */
  public double resistance() {
    return resistance;
  }

  /** Resets the neurons to rest: voltages to rest_v, refractory periods to 0, no spikes. */
  @Override
  public void clear() {
    java.util.Arrays.fill(voltage, rest);
    java.util.Arrays.fill(refrac, 0f);
    spikes.clear();
    resetLazyState();
    recomputeHot();
  }

  /**
   * Runs one step of the neuronal dynamics.
   *
   * @param inputs presynaptic currents, I(t), in nA, {@code [B, N...]}; any numeric type or BOOL,
   *     any ordering or view (a float32 c-ordered array is read in place, others converted)
   * @return the spike buffer, BOOL, {@code [B, N...]}, overwritten by the next step
   * @throws IllegalArgumentException if {@code inputs} is null, not numeric, not of the batched
   *     shape or larger than a dense step reads (536,870,911 values, 2 GiB of float32; step such a
   *     group with {@code forwardSparse}); the state is then unchanged
   */
  @Override
  public INDArray forward(INDArray inputs) {
    requireBatchedShape("inputs", inputs);
    SpikeKernel.requireNumeric("inputs", inputs);
    DenseInput in = DenseInput.of(inputs);
    beginDenseStep();
    ByteBuffer out = spikes.bytesToOverwrite();
    byte[] doubt = doubtBytes();
    DenseChunks.run(voltage.length, threads, (from, to) -> denseRange(from, to, in, out, doubt));
    Reference.reachabilityFence(in);
    endDenseStepToJudge();
    return spikes.array();
  }

  /** The dense step of neurons [from, to): eight at a time where the JVM can, then one by one. */
  private void denseRange(int from, int to, DenseInput in, ByteBuffer out, byte[] doubt) {
    int i =
        VectorSupport.ENABLED
            ? VectorKernel.lif(voltage, refrac, in.bytes, out, from, to, dense, doubt)
            : from;
    LinearKernel.lifDense(voltage, refrac, in.bytes, out, i, to, dense, doubt);
  }

  /** One step of neuron i with the given input; reports a spike. */
  private void step(int i, float current) {
    float left = LinearKernel.refracLeft(refrac[i], dt);
    if (left == 0f) {
      float next = LinearKernel.integrate(voltage[i], current, rest, decay, ohms);
      if (next >= thresh) {
        voltage[i] = reset;
        refrac[i] = refracPeriod;
        spiked(i);
        return;
      }
      voltage[i] = next;
    }
    refrac[i] = left;
  }

  /** Whether one zero-input step would leave neuron i bit-identical, without a spike. */
  private boolean fixedWithoutSpike(int i) {
    float left = LinearKernel.refracLeft(refrac[i], dt);
    if (!LinearKernel.same(left, refrac[i])) {
      return false;
    }
    if (left != 0f) {
      return true;
    }
    float next = LinearKernel.integrate(voltage[i], 0f, rest, decay, ohms);
    return !(next >= thresh) && LinearKernel.same(next, voltage[i]);
  }

  @Override
  int unitCount() {
    return voltage.length;
  }

  @Override
  int unitOf(int neuron) {
    return neuron;
  }

  @Override
  int firstNeuronOf(int unit) {
    return unit;
  }

  @Override
  void stepUnit(int unit, SparseInput input) {
    step(unit, (float) input.sumOf(unit));
  }

  @Override
  boolean idleStep(int unit) {
    float v0 = voltage[unit];
    float r0 = refrac[unit];
    float left = LinearKernel.refracLeft(r0, dt);
    if (left == 0f) {
      float next = LinearKernel.integrate(v0, 0f, rest, decay, ohms);
      if (next >= thresh) {
        throw spikedWhileCold(unit);
      }
      voltage[unit] = next;
    }
    refrac[unit] = left;
    return !LinearKernel.same(voltage[unit], v0) || !LinearKernel.same(left, r0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Once a neuron is out of its refractory period (refrac +0.0) with a finite voltage, and R * 0
   * is +0.0 and rest_v is not zero, a zero-input step is {@code rest_v + (V - rest_v) decay}
   * exactly: subtracting +0.0 changes no float, and adding +0.0 changes only -0.0, which {@code
   * rest_v + x} with rest_v nonzero never is. That chain of three operations runs with V in a
   * register; replays of idle gaps are most of a sparse LIF step's work.
   */
  @Override
  long idleSteps(int unit, long steps) {
    long taken = ruleSteps(unit, steps);
    return settled ? taken : taken + decaySteps(unit, steps - taken);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Two neurons at a time: each step of {@link #decaySteps} waits for the one before it (three
   * dependent float32 operations), so two independent neurons take their steps in about the time of
   * one.
   */
  @Override
  long idleSteps(int[] units, long[] steps, int count) {
    long taken = 0;
    int c = 0;
    for (; c + 1 < count; c += 2) {
      int a = units[c];
      int b = units[c + 1];
      long takenA = ruleSteps(a, steps[c]);
      boolean doneA = settled || takenA == steps[c];
      long takenB = ruleSteps(b, steps[c + 1]);
      boolean doneB = settled || takenB == steps[c + 1];
      taken += takenA + takenB;
      if (doneA || doneB) {
        taken +=
            doneA
                ? (doneB ? 0 : decaySteps(b, steps[c + 1] - takenB))
                : decaySteps(a, steps[c] - takenA);
      } else {
        taken += decayPair(a, steps[c] - takenA, b, steps[c + 1] - takenB);
      }
    }
    if (c < count) {
      taken += idleSteps(units[c], steps[c]);
    }
    return taken;
  }

  /** Set by {@link #ruleSteps}: whether it stopped at a fixed point. */
  private boolean settled;

  /**
   * Zero-input steps by the whole rule ({@link #idleStep}) while neuron i is not {@link #resting}
   * or the short rule does not apply, at most {@code steps}; sets {@link #settled}.
   *
   * @return the steps taken
   */
  private long ruleSteps(int i, long steps) {
    settled = false;
    long taken = 0;
    while (taken < steps && !(plainDecay && resting(i))) {
      taken++;
      if (!idleStep(i)) {
        settled = true;
        break;
      }
    }
    return taken;
  }

  /**
   * Up to {@code steps} zero-input steps of a resting neuron by the short rule, stopping after the
   * first that leaves it bit-identical.
   *
   * @return the steps taken
   */
  private long decaySteps(int i, long steps) {
    float v = voltage[i];
    int bits = Float.floatToRawIntBits(v);
    long taken = 0;
    boolean looked = table == null;
    while (taken < steps) {
      if (!looked && Math.abs(v - rest) <= nearRest) {
        // v - rest is exact here (Sterbenz): v is within a fraction of a mV of rest
        looked = true;
        int entry = table.entry(v - rest);
        if (DecayTable.steps(entry) <= steps - taken) {
          voltage[i] = table.fixedVoltage(entry);
          return taken + DecayTable.steps(entry);
        }
      }
      taken++;
      float next = rest + (v - rest) * decay;
      if (next >= thresh) {
        throw spikedWhileCold(i);
      }
      int nextBits = Float.floatToRawIntBits(next);
      v = next;
      if (nextBits == bits) {
        break;
      }
      bits = nextBits;
    }
    voltage[i] = v;
    return taken;
  }

  /**
   * {@link #decaySteps} of two resting neurons, interleaved until one of them is done or near rest
   * (where {@link #decaySteps} looks the rest up).
   */
  private long decayPair(int a, long stepsA, int b, long stepsB) {
    float va = voltage[a];
    float vb = voltage[b];
    long both = Math.min(stepsA, stepsB);
    long taken = 0;
    boolean fixedA = false;
    boolean fixedB = false;
    while (taken < both
        && !(fixedA | fixedB)
        && !(Math.abs(va - rest) <= nearRest | Math.abs(vb - rest) <= nearRest)) {
      taken++;
      float nextA = rest + (va - rest) * decay;
      float nextB = rest + (vb - rest) * decay;
      if (nextA >= thresh) {
        throw spikedWhileCold(a);
      }
      if (nextB >= thresh) {
        throw spikedWhileCold(b);
      }
      fixedA = Float.floatToRawIntBits(nextA) == Float.floatToRawIntBits(va);
      fixedB = Float.floatToRawIntBits(nextB) == Float.floatToRawIntBits(vb);
      va = nextA;
      vb = nextB;
    }
    voltage[a] = va;
    voltage[b] = vb;
    long more = 0;
    if (!fixedA && taken < stepsA) {
      more += decaySteps(a, stepsA - taken);
    }
    if (!fixedB && taken < stepsB) {
      more += decaySteps(b, stepsB - taken);
    }
    return 2 * taken + more;
  }

  private IllegalStateException spikedWhileCold(int unit) {
    return new IllegalStateException(
        "neuron " + unit + " of " + this + " spiked in a zero-input step it was proven cold for");
  }

  /** Whether neuron i is out of its refractory period, for good, with a finite voltage. */
  private boolean resting(int i) {
    return Float.floatToRawIntBits(refrac[i]) == 0 && Float.isFinite(voltage[i]);
  }

  @Override
  boolean cold(int unit) {
    return LinearKernel.voltageCold(voltage[unit], rest, thresh, decay, ohms)
        || fixedWithoutSpike(unit);
  }

  /**
   * @return the spikes of the last step, bit-packed, and the voltages and refractory periods
   */
  @Override
  public LIFSnapshot snapshot() {
    materialize();
    return LIFSnapshot.owning(batchedShape(), spikes.pack(), voltage.clone(), refrac.clone());
  }

  /**
   * Replaces the state with a snapshot's.
   *
   * @param snapshot taken from a LIF group of the same batched shape
   * @throws IllegalArgumentException if it is another model's or of another batched shape; the
   *     state is then unchanged
   */
  @Override
  public void restore(NeuronSnapshot snapshot) {
    LIFSnapshot lif = requireRestorable(snapshot, LIFSnapshot.class);
    voltage = lif.voltage();
    refrac = lif.refrac();
    spikes.restore(lif);
    resetLazyState();
    recomputeHot();
  }

  /** Builds a {@link LIF}; every setter returns this builder. */
  public static final class Builder {
    private long[] shape;
    private Double stepTime;
    private Double restV;
    private Double resetV;
    private Double threshV;
    private Double refracT;
    private Double timeConstant;
    private double resistance = 1.0;
    private int batchSize = 1;
    private int threads = 1;

    private Builder() {}

    /**
     * @param shape the group's shape without the batch, N...; each size > 0; none for one neuron
     * @return this builder
     */
    public Builder shape(long... shape) {
      this.shape = shape == null ? null : shape.clone();
      return this;
    }

    /**
     * @param stepTime length of a simulation step, Δt, in ms; > 0
     * @return this builder
     */
    public Builder stepTime(double stepTime) {
      this.stepTime = stepTime;
      return this;
    }

    /**
     * @param restV membrane voltage at equilibrium, V<sub>rest</sub>, in mV; < threshV
     * @return this builder
     */
    public Builder restV(double restV) {
      this.restV = restV;
      return this;
    }

    /**
     * @param resetV membrane voltage after a spike, V<sub>reset</sub>, in mV; < threshV
     * @return this builder
     */
    public Builder resetV(double resetV) {
      this.resetV = resetV;
      return this;
    }

    /**
     * @param threshV membrane voltage at which a neuron spikes, in mV
     * @return this builder
     */
    public Builder threshV(double threshV) {
      this.threshV = threshV;
      return this;
    }

    /**
     * @param refracT length of the absolute refractory period, in ms; >= 0
     * @return this builder
     */
    public Builder refracT(double refracT) {
      this.refracT = refracT;
      return this;
    }

    /**
     * @param timeConstant time constant of the voltage's decay, τ<sub>m</sub>, in ms; > 0
     * @return this builder
     */
    public Builder timeConstant(double timeConstant) {
      this.timeConstant = timeConstant;
      return this;
    }

    /**
     * @param resistance resistance across the membrane, R<sub>m</sub>, in MΩ; nonzero, not NaN;
     *     default 1.0
     * @return this builder
     */
    public Builder resistance(double resistance) {
      this.resistance = resistance;
      return this;
    }

    /**
     * @param batchSize the batch size, B; > 0; default 1
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * @param threads how many threads a dense {@link LIF#forward} may use, the caller's included
     *     (the others from the common fork-join pool), for groups of at least 2<sup>17</sup>
     *     neurons; > 0; default 1 (a Flink job already runs one thread per slot; see
     *     docs/neuron-benchmarks.md for what a second thread gains)
     * @return this builder
     */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Validates the hyperparameters in the reference's order and allocates the group at rest.
     *
     * @return a new LIF group
     * @throws IllegalArgumentException with the reference's wording, for example {@code 'refrac_t'
     *     of -1e-05 must be nonnegative} or {@code 'time_constant' of nan must be positive}; an
     *     unset required parameter is reported as missing
     */
    public LIF build() {
      requireSet("shape", shape);
      requireSet("step_time", stepTime);
      requireSet("rest_v", restV);
      requireSet("reset_v", resetV);
      requireSet("thresh_v", threshV);
      requireSet("refrac_t", refracT);
      requireSet("time_constant", timeConstant);
      return new LIF(this);
    }
  }

  static void requireSet(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("'" + name + "' must be set");
    }
  }
}
