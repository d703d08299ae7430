package io.spikestream.neural;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What Inferno's linear neurons (LIF, ALIF) share: a step time, and a membrane voltage and a
 * refractory period per neuron as float32 state, with their getters and shape-checked setters (the
 * counterparts of Inferno's voltage and refractory mixins). The models add their parameters, their
 * step rule and their other state.
 */
abstract class LinearNeuron extends LazyNeuron {

  /** Δt, ms; set and validated by the model's constructor. */
  double stepTime;

  /** Membrane voltages, mV, c-ordered {@code [B, N...]}. */
  float[] voltage;

  /** Remaining refractory periods, ms, c-ordered {@code [B, N...]}. */
  float[] refrac;

  LinearNeuron(long[] shape, int batchSize) {
    super(shape, batchSize);
  }

  /** Recomputes what depends on {@link #stepTime}: Δt as float32 and the decays. */
  abstract void setStepConstants();

  @Override
  public double dt() {
    return stepTime;
  }

  /**
   * Sets the step time; neurons behind on idle steps catch up with the old one first.
   *
   * @param dt the new step time, Δt, in ms; > 0
   * @throws IllegalArgumentException {@code 'dt' of 0.0 must be positive}
   */
  @Override
  public void setDt(double dt) {
    Checks.positive("dt", dt);
    materialize();
    this.stepTime = dt;
    setStepConstants();
    recomputeHot();
  }

  /**
   * @return a new FLOAT array of the membrane voltages in mV, {@code [B, N...]}
   */
  @Override
  public INDArray voltage() {
    materialize();
    return Nd4j.create(voltage.clone(), batchedShape(), 'c');
  }

  /**
   * Sets the membrane voltages (rounded to float32); the spikes of the last step stay.
   *
   * @param voltage voltages in mV, {@code [B, N...]}, any numeric type
   * @throws IllegalArgumentException if null, not numeric or not of the batched shape
   */
  @Override
  public void setVoltage(INDArray voltage) {
    requireBatchedShape("voltage", voltage);
    float[] values = floatsOf("voltage", voltage);
    materialize();
    this.voltage = values;
    recomputeHot();
  }

  /**
   * @return a new FLOAT array of the remaining refractory periods in ms, {@code [B, N...]}
   */
  @Override
  public INDArray refrac() {
    materialize();
    return Nd4j.create(refrac.clone(), batchedShape(), 'c');
  }

  /**
   * Sets the remaining refractory periods (rounded to float32); the spikes of the last step stay.
   *
   * @param refrac refractory periods in ms, {@code [B, N...]}, any numeric type
   * @throws IllegalArgumentException if null, not numeric or not of the batched shape
   */
  @Override
  public void setRefrac(INDArray refrac) {
    requireBatchedShape("refrac", refrac);
    float[] values = floatsOf("refrac", refrac);
    materialize();
    this.refrac = values;
    recomputeHot();
  }

  /** A numeric array's values, rounded to float32, c-ordered; its shape checked by the caller. */
  static float[] floatsOf(String name, INDArray array) {
    SpikeKernel.requireNumeric(name, array);
    return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }
}
