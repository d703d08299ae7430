package io.spikestream.neural;

/**
 * The float32 constants of one dense step of a linear neuron (LIF, or an ALIF with one adaptation),
 * as the models round their parameters: what {@link LinearKernel#lifDense}, {@link
 * LinearKernel#alifDenseOne} and their {@link VectorKernel} forms read.
 *
 * @param dt Δt, ms
 * @param rest rest_v, mV
 * @param decay exp(-Δt / τ<sub>m</sub>)
 * @param ohms the resistance R, MΩ
 * @param thresh thresh_v (LIF) or thresh_eq_v (ALIF), mV
 * @param reset reset_v, mV
 * @param refracPeriod refrac_t, ms
 * @param coldLimit voltages at or below it are cold ({@link LinearKernel#coldLimit}), mV
 * @param adaptDecay ALIF: exp(-Δt / τ<sub>k</sub>) of its one adaptation; LIF: 0
 * @param increment ALIF: the spike increment of its one adaptation, mV; LIF: 0
 */
record DenseStep(
    float dt,
    float rest,
    float decay,
    float ohms,
    float thresh,
    float reset,
    float refracPeriod,
    float coldLimit,
    float adaptDecay,
    float increment) {}
