package io.spikestream.neural;

import java.util.Arrays;

/**
 * The test's reference: Inferno's LIF and ALIF step written as straightforward per-element float32
 * loops in the order of Inferno's tensor operations ({@code voltage_thresholding_constant}, {@code
 * voltage_integration_linear}, {@code apply_adaptive_thresholds}, {@code
 * adaptive_thresholds_linear_spike}, then the batch mean), each tensor operation one pass, every
 * neuron stepped every step. Nothing lazy, nothing fused; PyTorch's summation order from {@link
 * TorchSum}, the decays from {@link ExactExp} (both checked on their own and against PyTorch).
 */
final class InfernoOracle {

  final int batch;
  final int positions;
  final int adaptations;
  float[] voltage;
  float[] refrac;
  float[] adaptation;
  boolean[] spike;

  private final float dt;
  private final float rest;
  private final float reset;
  private final float thresh;
  private final float refracT;
  private final float resistance;
  private final float decay;
  private final float[] adaptDecay;
  private final float[] increment;

  private InfernoOracle(
      int batch,
      int positions,
      double stepTime,
      double rest,
      double reset,
      double thresh,
      double refracT,
      double tau,
      double resistance,
      double[] tcAdaptation,
      double[] spikeIncrement) {
    this.batch = batch;
    this.positions = positions;
    this.adaptations = tcAdaptation.length;
    this.dt = (float) stepTime;
    this.rest = (float) rest;
    this.reset = (float) reset;
    this.thresh = (float) thresh;
    this.refracT = (float) refracT;
    this.resistance = (float) resistance;
    this.decay = (float) ExactExp.exp(-stepTime / tau);
    adaptDecay = new float[adaptations];
    increment = new float[adaptations];
    for (int k = 0; k < adaptations; k++) {
      // -step_time / tensor is tensor.reciprocal() * -step_time in PyTorch
      float reciprocal = 1f / (float) tcAdaptation[k];
      adaptDecay[k] = ExactExp.expf(reciprocal * (float) -stepTime);
      increment[k] = (float) spikeIncrement[k];
    }
    int n = batch * positions;
    voltage = new float[n];
    Arrays.fill(voltage, this.rest);
    refrac = new float[n];
    adaptation = new float[positions * adaptations];
    spike = new boolean[n];
  }

  static InfernoOracle of(LIF lif) {
    return new InfernoOracle(
        lif.batchSize(),
        (int) lif.count(),
        lif.dt(),
        lif.restV(),
        lif.resetV(),
        lif.threshV(),
        lif.refracT(),
        lif.timeConstant(),
        lif.resistance(),
        new double[0],
        new double[0]);
  }

  static InfernoOracle of(ALIF alif) {
    return new InfernoOracle(
        alif.batchSize(),
        (int) alif.count(),
        alif.dt(),
        alif.restV(),
        alif.resetV(),
        alif.threshEqV(),
        alif.refracT(),
        alif.tcMembrane(),
        alif.resistance(),
        alif.tcAdaptation(),
        alif.spikeIncrement());
  }

  boolean adaptive() {
    return adaptations > 0;
  }

  /** One step, inputs already float32, c-ordered {@code [B, N...]}. */
  void step(float[] inputs) {
    int n = voltage.length;
    // refracs = (refracs - step_time).clamp(min=0); mask = refracs == 0
    float[] refracs = new float[n];
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      float r = refrac[i] - dt;
      refracs[i] = r < 0f ? 0f : r;
      mask[i] = refracs[i] == 0f;
    }
    // dynamics(inputs * mask): rest_v + (voltages - rest_v - R * I) * decay + R * I
    float[] integrated = new float[n];
    for (int i = 0; i < n; i++) {
      float masked = inputs[i] * (mask[i] ? 1f : 0f);
      float ext = resistance * masked;
      float inner = voltage[i] - rest;
      inner = inner - ext;
      inner = inner * decay;
      integrated[i] = (rest + inner) + ext;
    }
    // voltages = voltages.where(~mask, integrated)
    float[] voltages = new float[n];
    for (int i = 0; i < n; i++) {
      voltages[i] = !mask[i] ? voltage[i] : integrated[i];
    }
    // thresh_v, for ALIF thresh_eq_v + torch.sum(adaptations, dim=-1)
    float[] theta = new float[positions];
    for (int p = 0; p < positions; p++) {
      theta[p] =
          adaptive() ? thresh + TorchSum.inner(adaptation, p * adaptations, adaptations) : thresh;
    }
    // spikes = mask and voltages >= thresh; then the resets
    for (int i = 0; i < n; i++) {
      spike[i] = mask[i] && voltages[i] >= theta[i % positions];
      refracs[i] = !spike[i] ? refracs[i] : refracT;
      voltages[i] = !spike[i] ? voltages[i] : reset;
    }
    voltage = voltages;
    refrac = refracs;
    if (!adaptive()) {
      return;
    }
    // decayed = adaptations * exp(...); adaptations.where(refracs > 0, decayed) + si * spikes
    float[] updates = new float[batch * positions * adaptations];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < positions; p++) {
        int i = b * positions + p;
        for (int k = 0; k < adaptations; k++) {
          float a = adaptation[p * adaptations + k];
          float decayed = a * adaptDecay[k];
          float kept = refrac[i] > 0f ? a : decayed;
          updates[i * adaptations + k] = kept + increment[k] * (spike[i] ? 1f : 0f);
        }
      }
    }
    // torch.mean(updates, 0): PyTorch's sum over the batch, then / B
    int columns = positions * adaptations;
    float[] column = new float[batch];
    float[] mean = new float[columns];
    for (int j = 0; j < columns; j++) {
      for (int b = 0; b < batch; b++) {
        column[b] = updates[b * columns + j];
      }
      mean[j] = TorchSum.batchColumn(column, batch, j, columns) / (float) batch;
    }
    adaptation = mean;
  }

  void clear(boolean keepAdaptations) {
    Arrays.fill(voltage, rest);
    Arrays.fill(refrac, 0f);
    Arrays.fill(spike, false);
    if (!keepAdaptations) {
      Arrays.fill(adaptation, 0f);
    }
  }

  int[] spikedIndices() {
    return java.util.stream.IntStream.range(0, spike.length).filter(i -> spike[i]).toArray();
  }
}
