package io.spikestream.neural;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adaptive leaky integrate-and-fire neurons: the JVM counterpart of Inferno's {@code ALIF},
 * stepping bit for bit as Inferno does on PyTorch in float32, with its adaptations updated on every
 * step ({@code adapt=True}) and reduced over the batch by the mean (its default).
 *
 * <p>Update rule, for each position n of the shape N... and each batch copy b, every quantity
 * float32 and every operation rounded to float32 in this order, the parameters rounded to float32
 * first (θ<sub>n,k</sub> are the K threshold adaptations of position n, shared by the batch):
 *
 * <pre>
 *   Θ_n      = thresh_eq_v + Σ_k θ_n,k              (PyTorch's summation order, see TorchSum)
 *   refrac'  = max(refrac - Δt, 0)
 *   m        = refrac' == 0
 *   V'       = rest_v + ((V - rest_v) - R I) decay + R I      where m, V elsewhere
 *   spike    = m and V' >= Θ_n
 *   V        = reset_v where spike, V' elsewhere;  refrac = refrac_t where spike, refrac' elsewhere
 *   u_b,n,k  = (refrac > 0 ? θ_n,k : θ_n,k d_k) + a_k spike
 *   θ_n,k    = (Σ_b u_b,n,k) / B                    (PyTorch's mean: its sum, then a division)
 * </pre>
 *
 * with decay = exp(-Δt / τ<sub>m</sub>) in float64 rounded to float32, d<sub>k</sub> = exp((1 /
 * τ<sub>k</sub>) (-Δt)) with τ<sub>k</sub> and the product in float32 (the reference's {@code
 * -step_time / tensor} is PyTorch's reciprocal times the scalar) and the exponential correctly
 * rounded to float32 (PyTorch's vectorized {@code expf} is 1 ulp off for about one input in ten),
 * a<sub>k</sub> the spike increments.
 *
 * <p>Fixed here, unlike the reference: {@link #spike} is the last step's spikes (not {@code refrac
 * == refrac_t}); fewer spike increments than time constants repeat the last increment (the
 * reference crashes with {@code float(None)}), as more increments than time constants repeat the
 * last time constant in both; a NaN resistance or spike increment is rejected; inputs of another
 * shape are rejected; {@link #setBatchSize} reallocates voltages and refractory periods at rest and
 * keeps the adaptations.
 *
 * <p><b>Idle steps.</b> The unit of lazy stepping is a position with its B copies, since they share
 * adaptations. A position is <em>cold</em> (no run of zero-input steps from its state can spike)
 * when an adaptation is NaN (the threshold is then NaN for good), or when every adaptation is >= 0
 * and every copy's voltage is cold against thresh_eq_v (adaptations that are >= 0 stay >= 0 without
 * spikes, being decayed, kept or averaged, so Θ stays >= thresh_eq_v; the voltage argument is
 * LIF's), or when one zero-input step leaves the position bit-identical without a spike. So a
 * position is hot while a voltage lies between thresh_eq_v and its threshold (the threshold may
 * decay below it: τ<sub>k</sub> shorter than τ<sub>m</sub> after a strong drive) and while an
 * adaptation is negative (a negative spike increment) until it freezes.
 *
 * <pre>{@code
 * ALIF neuron = ALIF.builder()
 *     .shape(100).stepTime(1.0).restV(-65.0).resetV(-70.0).threshEqV(-50.0).refracT(2.0)
 *     .tcMembrane(20.0).tcAdaptation(100.0, 1000.0).spikeIncrement(1.0, 0.5).build();
 * }</pre>
 */
public final class ALIF extends LinearNeuron {

  private final double restV;
  private final double resetV;
  private final double threshEqV;
  private final double refracT;
  private final double tcMembrane;
  private final double[] tcAdaptation;
  private final double[] spikeIncrement;
  private final double resistance;

  private float dt;
  private float decay;
  private final float rest;
  private final float reset;
  private final float threshEq;
  private final float refracPeriod;
  private final float ohms;
  private final float[] increment;
  private final float[] adaptDecay;

  /** K, the adaptations per position. */
  private final int adaptations;

  /** Threshold adaptations, mV, c-ordered {@code (N..., K)}. */
  private float[] adaptation;

  // per-step scratch of one position: inputs, spikes (1 or 0), periods left, one column
  private float[] inputs;
  private float[] fired;
  private float[] left;
  private float[] column;
  private float[] savedV;
  private float[] savedR;
  private float[] savedA;

  private static final int SILENT = 0;
  private static final int REPORT = 1;
  private static final int DENSE = 2;

  /** Where a dense step writes spike bytes; null outside one. */
  private ByteBuffer denseOut;

  /** Voltages at or below this are cold against thresh_eq_v (see LinearKernel.coldLimit). */
  private final float coldLimit;

  /** The constants of a dense step at the present step time, for one adaptation. */
  private DenseStep dense;

  /** Whether R * 0 is +0.0, rest_v nonzero and the first increment finite (see idleSteps). */
  private final boolean plainIdle;

  /** Threads a dense step of a batch of one may use. */
  private final int threads;

  private ALIF(Builder b) {
    super(b.shape, b.batchSize);
    double[] tcs = b.tcAdaptation;
    double[] sis = b.spikeIncrement;
    if (tcs == null || tcs.length == 0) {
      throw new IllegalArgumentException("'tc_adaptation' must have at least one value");
    }
    if (sis == null || sis.length == 0) {
      throw new IllegalArgumentException("'spike_increment' must have at least one value");
    }
    int k = Math.max(tcs.length, sis.length);
    if (k > Neuron.MAX_NEURONS / count()) {
      throw new IllegalArgumentException(
          "a group of shape "
              + Checks.tuple(shape())
              + " and "
              + k
              + " adaptations holds more than "
              + Neuron.MAX_NEURONS
              + " adaptations");
    }
    tcAdaptation = new double[k];
    spikeIncrement = new double[k];
    for (int idx = 0; idx < k; idx++) {
      tcAdaptation[idx] =
          idx < tcs.length
              ? Checks.positive("tc_adaptation[" + idx + "]", tcs[idx])
              : tcAdaptation[idx - 1];
      spikeIncrement[idx] =
          idx < sis.length
              ? Checks.number("spike_increment[" + idx + "]", sis[idx])
              : spikeIncrement[idx - 1];
    }
    this.stepTime = Checks.positive("step_time", b.stepTime);
    this.restV = Checks.lessThan("rest_v", b.restV, "thresh_eq_v", b.threshEqV);
    this.resetV = Checks.lessThan("reset_v", b.resetV, "thresh_eq_v", b.threshEqV);
    this.threshEqV = b.threshEqV;
    this.refracT = Checks.nonnegative("refrac_t", b.refracT);
    this.tcMembrane = Checks.positive("tc_membrane", b.tcMembrane);
    this.resistance = Checks.nonzero("resistance", b.resistance);
    adaptations = k;
    rest = (float) restV;
    reset = (float) resetV;
    threshEq = (float) threshEqV;
    refracPeriod = (float) refracT;
    ohms = (float) resistance;
    coldLimit = LinearKernel.coldLimit(rest, threshEq);
    threads = (int) Checks.positive("threads", b.threads);
    increment = new float[k];
    adaptDecay = new float[k];
    for (int idx = 0; idx < k; idx++) {
      increment[idx] = (float) spikeIncrement[idx];
    }
    plainIdle =
        Float.floatToRawIntBits(ohms * 0f) == 0 && rest != 0f && Float.isFinite(increment[0]);
    adaptation = new float[(int) count() * k];
    savedA = new float[k];
    setStepConstants();
    reallocate();
  }

  @Override
  void setStepConstants() {
    dt = (float) stepTime;
    decay = (float) ExactExp.exp(-stepTime / tcMembrane);
    for (int k = 0; k < adaptations; k++) {
      adaptDecay[k] = ExactExp.expf((1f / (float) tcAdaptation[k]) * -dt);
    }
    dense =
        new DenseStep(
            dt,
            rest,
            decay,
            ohms,
            threshEq,
            reset,
            refracPeriod,
            coldLimit,
            adaptDecay[0],
            increment[0]);
  }

  /**
   * Starts building an ALIF group; shape, step time, the voltages, the refractory period and the
   * time constants and increments are required; the resistance defaults to 1.0 and the batch size
   * to 1.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void beforeBatchSizeChange() {
    materialize();
  }

  @Override
  protected void reallocate() {
    int n = (int) (count() * batchSize());
    voltage = new float[n];
    Arrays.fill(voltage, rest);
    refrac = new float[n];
    int b = batchSize();
    inputs = new float[b];
    fired = new float[b];
    left = new float[b];
    column = new float[b];
    savedV = new float[b];
    savedR = new float[b];
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
   * @return thresh_eq_v, the equilibrium of the firing threshold, Θ<sub>∞</sub>, in mV
   */
  public double threshEqV() {
    return threshEqV;
  }

  /**
   * @return refrac_t, the length of the absolute refractory period, in ms
   */
  public double refracT() {
    return refracT;
  }

  /**
   * @return tc_membrane, τ<sub>m</sub>, of the membrane voltage's decay, in ms
   */
  public double tcMembrane() {
    return tcMembrane;
  }

  /**
   * @return a copy of tc_adaptation, τ<sub>k</sub> for each of the K adaptations, in ms
   */
  public double[] tcAdaptation() {
    return tcAdaptation.clone();
  }

  /**
   * @return a copy of spike_increment, a<sub>k</sub> for each of the K adaptations, in mV
   */
  public double[] spikeIncrement() {
    return spikeIncrement.clone();
  }

  /**
   * @return resistance, R<sub>m</sub>, across the membrane, in MΩ
   */
  public double resistance() {
    return resistance;
  }

  /**
   * @return K, the number of threshold adaptations per neuron
   */
  public int adaptations() {
    return adaptations;
  }

  /**
   * The shape of the threshold adaptations: the group's shape and K, without the batch.
   *
   * @return a new array {@code (N..., K)}
   */
  public long[] adaptationShape() {
    long[] shape = shape();
    long[] withK = Arrays.copyOf(shape, shape.length + 1);
    withK[shape.length] = adaptations;
    return withK;
  }

  /**
   * @return a new FLOAT array of the threshold adaptations θ in mV, {@code (N..., K)}
   */
  public INDArray thresholdAdaptation() {
    materialize();
    return Nd4j.create(adaptation.clone(), adaptationShape(), 'c');
  }

  /**
   * Sets the threshold adaptations (rounded to float32); the spikes of the last step stay.
   *
   * @param adaptation adaptations in mV, {@code (N..., K)}, any numeric type
   * @throws IllegalArgumentException if null, not numeric or not of the adaptations' shape (both
   *     shapes named)
   */
  public void setThresholdAdaptation(INDArray adaptation) {
    if (adaptation == null) {
      throw new IllegalArgumentException("'threshold_adaptation' must not be null");
    }
    long[] expected = adaptationShape();
    if (!Arrays.equals(adaptation.shape(), expected)) {
      throw new IllegalArgumentException(
          "'threshold_adaptation' of shape "
              + Checks.tuple(adaptation.shape())
              + " must have the shape "
              + Checks.tuple(expected));
    }
    float[] values = floatsOf("threshold_adaptation", adaptation);
    materialize();
    this.adaptation = values;
    recomputeHot();
  }

  /** Resets the neurons to rest, keeping the adaptations: {@code clear(true)}. */
  @Override
  public void clear() {
    clear(true);
  }

  /**
   * Resets the neurons to rest: voltages to rest_v, refractory periods to 0, no spikes.
   *
   * @param keepAdaptations whether the threshold adaptations stay (brought up to the last step
   *     first), else they return to 0
   */
  public void clear(boolean keepAdaptations) {
    if (keepAdaptations) {
      materialize();
    } else {
      Arrays.fill(adaptation, 0f);
    }
    Arrays.fill(voltage, rest);
    Arrays.fill(refrac, 0f);
    spikes.clear();
    resetLazyState();
    recomputeHot();
  }

  /**
   * Runs one step of the neuronal dynamics and updates the adaptations.
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
    denseOut = spikes.bytesToOverwrite();
    int positions = (int) count();
    if (batchSize() == 1) {
      ByteBuffer out = denseOut;
      byte[] doubt = doubtBytes();
      DenseChunks.run(positions, threads, (from, to) -> denseSingle(from, to, in, out, doubt));
      denseOut = null;
      Reference.reachabilityFence(in);
      endDenseStepToJudge();
      return spikes.array();
    }
    int batch = batchSize();
    float[] x = this.inputs;
    for (int p = 0; p < positions; p++) {
      for (int b = 0, i = p; b < batch; b++, i += positions) {
        x[b] = in.get(i);
      }
      stepPosition(p, x, DENSE);
      if (!cold(p)) {
        addHot(p);
      }
    }
    denseOut = null;
    Reference.reachabilityFence(in);
    endDenseStep();
    return spikes.array();
  }

  /**
   * The dense step of positions [from, to) of a batch of one, fused into one pass without
   * data-dependent branches: {@link #stepPosition}'s arithmetic, where the batch mean of one value
   * is 0 + u (PyTorch's sum starts at 0; dividing by 1 changes nothing). One adaptation goes to
   * {@link #denseSingleOne}; more are summed in PyTorch's order ({@link TorchSum#inner}).
   */
  private void denseSingle(int from, int to, DenseInput in, ByteBuffer out, byte[] doubt) {
    float[] v = voltage;
    float[] r = refrac;
    float[] a = adaptation;
    int count = adaptations;
    float limit = coldLimit;
    if (count == 1) {
      denseSingleOne(from, to, in, out, doubt);
      return;
    }
    for (int p = from; p < to; p++) {
      int k0 = p * count;
      float theta = threshEq + TorchSum.inner(a, k0, count);
      float left = LinearKernel.refracLeft(r[p], dt);
      float vi = v[p];
      float next = LinearKernel.integrate(vi, in.get(p), rest, decay, ohms);
      boolean open = left == 0f;
      boolean spike = open & next >= theta;
      float updated = spike ? reset : open ? next : vi;
      float after = spike ? refracPeriod : left;
      v[p] = updated;
      r[p] = after;
      out.put(p, spike ? (byte) 1 : (byte) 0);
      float fired = spike ? 1f : 0f;
      boolean kept = after > 0f;
      boolean nonnegative = true;
      for (int k = 0; k < count; k++) {
        float ak = a[k0 + k];
        float decayed = ak * adaptDecay[k];
        float na = 0f + ((kept ? ak : decayed) + increment[k] * fired);
        a[k0 + k] = na;
        nonnegative &= na >= 0f;
      }
      doubt[p] = updated <= limit & nonnegative ? (byte) 0 : (byte) 1;
    }
  }

  /**
   * {@link #denseSingle} for one adaptation per neuron: eight positions at a time where the JVM
   * can, then one by one.
   */
  private void denseSingleOne(int from, int to, DenseInput in, ByteBuffer out, byte[] doubt) {
    int p =
        VectorSupport.ENABLED
            ? VectorKernel.alifOne(
                voltage, refrac, adaptation, in.bytes, out, from, to, dense, doubt)
            : from;
    LinearKernel.alifDenseOne(voltage, refrac, adaptation, in.bytes, out, p, to, dense, doubt);
  }

  /**
   * One step of position p and its batch copies.
   *
   * @param x the copies' inputs, or null for zero
   * @param mode {@link #REPORT} to report spikes to the sparse step, {@link #DENSE} to write every
   *     copy's spike byte through {@link #denseOut}, {@link #SILENT} for neither
   * @return how many copies spiked
   */
  private int stepPosition(int p, float[] x, int mode) {
    int positions = voltage.length / fired.length;
    int batch = fired.length;
    int k0 = p * adaptations;
    float theta =
        threshEq
            + (adaptations == 1
                ? 0f + adaptation[k0]
                : TorchSum.inner(adaptation, k0, adaptations));
    int spiking = 0;
    for (int b = 0, i = p; b < batch; b++, i += positions) {
      float after = LinearKernel.refracLeft(refrac[i], dt);
      float spike = 0f;
      if (after == 0f) {
        float next = LinearKernel.integrate(voltage[i], x == null ? 0f : x[b], rest, decay, ohms);
        if (next >= theta) {
          spike = 1f;
          voltage[i] = reset;
          after = refracPeriod;
          spiking++;
          if (mode == REPORT) {
            spiked(i);
          }
        } else {
          voltage[i] = next;
        }
      }
      refrac[i] = after;
      left[b] = after;
      fired[b] = spike;
      if (mode == DENSE) {
        denseOut.put(i, (byte) spike);
      }
    }
    int columns = positions * adaptations;
    for (int k = 0; k < adaptations; k++) {
      float kept = adaptation[k0 + k];
      float decayed = kept * adaptDecay[k];
      float step = increment[k];
      if (batch == 1) {
        adaptation[k0 + k] = 0f + ((left[0] > 0f ? kept : decayed) + step * fired[0]);
        continue;
      }
      for (int b = 0; b < batch; b++) {
        column[b] = (left[b] > 0f ? kept : decayed) + step * fired[b];
      }
      adaptation[k0 + k] = TorchSum.batchColumn(column, batch, k0 + k, columns) / (float) batch;
    }
    return spiking;
  }

  private void save(int p) {
    int positions = (int) count();
    for (int b = 0, i = p; b < fired.length; b++, i += positions) {
      savedV[b] = voltage[i];
      savedR[b] = refrac[i];
    }
    System.arraycopy(adaptation, p * adaptations, savedA, 0, adaptations);
  }

  /** Whether position p is bit-identical to what {@link #save} saved. */
  private boolean same(int p) {
    int positions = (int) count();
    for (int b = 0, i = p; b < fired.length; b++, i += positions) {
      if (!LinearKernel.same(savedV[b], voltage[i]) || !LinearKernel.same(savedR[b], refrac[i])) {
        return false;
      }
    }
    for (int k = 0; k < adaptations; k++) {
      if (!LinearKernel.same(savedA[k], adaptation[p * adaptations + k])) {
        return false;
      }
    }
    return true;
  }

  private void unsave(int p) {
    int positions = (int) count();
    for (int b = 0, i = p; b < fired.length; b++, i += positions) {
      voltage[i] = savedV[b];
      refrac[i] = savedR[b];
    }
    System.arraycopy(savedA, 0, adaptation, p * adaptations, adaptations);
  }

  @Override
  int unitCount() {
    return (int) count();
  }

  @Override
  int unitOf(int neuron) {
    return (int) (neuron % count());
  }

  @Override
  int firstNeuronOf(int unit) {
    return unit;
  }

  @Override
  void stepUnit(int unit, SparseInput input) {
    int positions = (int) count();
    for (int b = 0, i = unit; b < inputs.length; b++, i += positions) {
      inputs[b] = (float) input.sumOf(i);
    }
    stepPosition(unit, inputs, REPORT);
  }

  @Override
  boolean idleStep(int unit) {
    save(unit);
    if (stepPosition(unit, null, SILENT) > 0) {
      throw spikedWhileCold(unit);
    }
    return !same(unit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With batch size 1 and one adaptation, once the neuron is out of its refractory period
   * (refrac +0.0) with a finite voltage and adaptation, and R * 0 is +0.0, rest_v not zero and the
   * increment finite, a zero-input step without a spike is exactly {@code V' = rest_v + (V -
   * rest_v) decay} (see {@code LIF.idleSteps}) and {@code a' = 0 + (a adaptDecay + increment 0)},
   * the adaptation rule with the period over and no spike; both run in registers. Other shapes of
   * the state take the whole rule step by step.
   */
  @Override
  long idleSteps(int unit, long steps) {
    if (fired.length != 1 || adaptations != 1 || !plainIdle) {
      return super.idleSteps(unit, steps);
    }
    long taken = 0;
    while (taken < steps && !resting(unit)) {
      taken++;
      if (!idleStep(unit)) {
        return taken;
      }
    }
    // batch 1, one adaptation: the neuron, its position and its adaptation share the index
    float v = voltage[unit];
    float a = adaptation[unit];
    float ad = adaptDecay[0];
    float incrementOfNoSpike = increment[0] * 0f;
    while (taken < steps) {
      taken++;
      float theta = threshEq + (0f + a);
      float nextV = rest + (v - rest) * decay;
      if (nextV >= theta) {
        voltage[unit] = v;
        adaptation[unit] = a;
        throw spikedWhileCold(unit);
      }
      float nextA = 0f + (a * ad + incrementOfNoSpike);
      boolean fixed =
          Float.floatToRawIntBits(nextV) == Float.floatToRawIntBits(v)
              && Float.floatToRawIntBits(nextA) == Float.floatToRawIntBits(a);
      v = nextV;
      a = nextA;
      if (fixed) {
        break;
      }
    }
    voltage[unit] = v;
    adaptation[unit] = a;
    return taken;
  }

  /** Whether neuron i is out of its refractory period, for good, with finite V and adaptation. */
  private boolean resting(int i) {
    return Float.floatToRawIntBits(refrac[i]) == 0
        && Float.isFinite(voltage[i])
        && Float.isFinite(adaptation[i]);
  }

  private IllegalStateException spikedWhileCold(int unit) {
    return new IllegalStateException(
        "position " + unit + " of " + this + " spiked in a zero-input step it was proven cold for");
  }

  @Override
  boolean cold(int unit) {
    boolean negative = false;
    for (int k = unit * adaptations, end = k + adaptations; k < end; k++) {
      float a = adaptation[k];
      if (a != a) {
        return true;
      }
      negative |= a < 0f;
    }
    if (!negative) {
      boolean allCold = true;
      int positions = (int) count();
      for (int b = 0, i = unit; b < fired.length && allCold; b++, i += positions) {
        allCold = LinearKernel.voltageCold(voltage[i], rest, threshEq, decay, ohms);
      }
      if (allCold) {
        return true;
      }
    }
    // a fixed point needs each copy's voltage and period unchanged by a zero-input step: check
    // that cheaply before the whole trial step, which only then can come out bit-identical
    int positions = (int) count();
    for (int b = 0, i = unit; b < fired.length; b++, i += positions) {
      float after = LinearKernel.refracLeft(refrac[i], dt);
      if (!LinearKernel.same(after, refrac[i])
          || after == 0f
              && !LinearKernel.same(
                  LinearKernel.integrate(voltage[i], 0f, rest, decay, ohms), voltage[i])) {
        return false;
      }
    }
    save(unit);
    boolean fixed = stepPosition(unit, null, SILENT) == 0 && same(unit);
    unsave(unit);
    return fixed;
  }

  /**
   * @return the spikes of the last step, bit-packed, the voltages, refractory periods and
   *     adaptations
   */
  @Override
  public ALIFSnapshot snapshot() {
    materialize();
    return ALIFSnapshot.owning(
        batchedShape(),
        spikes.pack(),
        voltage.clone(),
        refrac.clone(),
        adaptations,
        adaptation.clone());
  }

  /**
   * Replaces the state with a snapshot's.
   *
   * @param snapshot taken from an ALIF group of the same batched shape and number of adaptations
   * @throws IllegalArgumentException if it is another model's or of another batched shape or number
   *     of adaptations; the state is then unchanged
   */
  @Override
  public void restore(NeuronSnapshot snapshot) {
    ALIFSnapshot alif = requireRestorable(snapshot, ALIFSnapshot.class);
    if (alif.adaptations() != adaptations) {
      throw new IllegalArgumentException(
          "an ALIF snapshot of "
              + alif.adaptations()
              + " adaptations per neuron cannot be restored into "
              + this
              + " of "
              + adaptations);
    }
    voltage = alif.voltage();
    refrac = alif.refrac();
    adaptation = alif.thresholdAdaptation();
    spikes.restore(alif);
    resetLazyState();
    recomputeHot();
  }

  /** Builds an {@link ALIF}; every setter returns this builder. */
  public static final class Builder {
    private long[] shape;
    private Double stepTime;
    private Double restV;
    private Double resetV;
    private Double threshEqV;
    private Double refracT;
    private Double tcMembrane;
    private double[] tcAdaptation;
    private double[] spikeIncrement;
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
     * @param restV membrane voltage at equilibrium, V<sub>rest</sub>, in mV; < threshEqV
     * @return this builder
     */
    public Builder restV(double restV) {
      this.restV = restV;
      return this;
    }

    /**
     * @param resetV membrane voltage after a spike, V<sub>reset</sub>, in mV; < threshEqV
     * @return this builder
     */
    public Builder resetV(double resetV) {
      this.resetV = resetV;
      return this;
    }

    /**
     * @param threshEqV equilibrium of the firing threshold, Θ<sub>∞</sub>, in mV
     * @return this builder
     */
    public Builder threshEqV(double threshEqV) {
      this.threshEqV = threshEqV;
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
     * @param tcMembrane time constant of the voltage's decay, τ<sub>m</sub>, in ms; > 0
     * @return this builder
     */
    public Builder tcMembrane(double tcMembrane) {
      this.tcMembrane = tcMembrane;
      return this;
    }

    /**
     * @param tcAdaptation time constants of the adaptations' decay, τ<sub>k</sub>, in ms; each > 0;
     *     at least one; fewer than the increments repeat the last
     * @return this builder
     */
    public Builder tcAdaptation(double... tcAdaptation) {
      this.tcAdaptation = tcAdaptation == null ? null : tcAdaptation.clone();
      return this;
    }

    /**
     * @param spikeIncrement increments of the adaptations after a spike, a<sub>k</sub>, in mV; not
     *     NaN; at least one; fewer than the time constants repeat the last
     * @return this builder
     */
    public Builder spikeIncrement(double... spikeIncrement) {
      this.spikeIncrement = spikeIncrement == null ? null : spikeIncrement.clone();
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
     * @param threads how many threads a dense {@link ALIF#forward} of a batch of one may use, the
     *     caller's included (the others from the common fork-join pool), for groups of at least
     *     2<sup>17</sup> neurons; > 0; default 1 (see docs/neuron-benchmarks.md)
     * @return this builder
     */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Validates the hyperparameters in the reference's order and allocates the group at rest with
     * zero adaptations.
     *
     * @return a new ALIF group
     * @throws IllegalArgumentException with the reference's wording, for example {@code
     *     'tc_adaptation[1]' of 0.0 must be positive}; an unset required parameter is reported as
     *     missing
     */
    public ALIF build() {
      LIF.requireSet("shape", shape);
      LIF.requireSet("step_time", stepTime);
      LIF.requireSet("rest_v", restV);
      LIF.requireSet("reset_v", resetV);
      LIF.requireSet("thresh_eq_v", threshEqV);
      LIF.requireSet("refrac_t", refracT);
      LIF.requireSet("tc_membrane", tcMembrane);
      LIF.requireSet("tc_adaptation", tcAdaptation);
      LIF.requireSet("spike_increment", spikeIncrement);
      return new ALIF(this);
    }
  }
}
