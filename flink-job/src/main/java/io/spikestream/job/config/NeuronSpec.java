package io.spikestream.job.config;

import io.spikestream.neural.ALIF;
import io.spikestream.neural.ExactNeuron;
import io.spikestream.neural.LIF;
import io.spikestream.neural.Neuron;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A group's neuron model and its hyperparameters, as the groups file names them (Inferno's
 * parameter names): {@code model: exact}, {@code lif} or {@code alif}. A value type; {@link
 * #newNeuron} makes the group's neurons at rest, and the neural-core builders check the parameters
 * with Inferno's messages.
 */
public sealed interface NeuronSpec extends Serializable {

  /** The models the groups file knows, by name. */
  List<String> MODELS = List.of(Exact.NAME, Lif.NAME, Alif.NAME);

  /**
   * The model's name as the groups file writes it.
   *
   * @return {@code exact}, {@code lif} or {@code alif}
   */
  String name();

  /**
   * The groups file's fields of this model, besides the group's own (id, model, shape, batch size,
   * step time, t0, event current, pool).
   *
   * @return the field names
   */
  List<String> fields();

  /**
   * A new neuron group of this model, at rest.
   *
   * @param shape the group's shape without the batch, N...
   * @param batchSize the batch size, B
   * @param stepTime the step length, Δt, in ms
   * @return the neurons
   * @throws IllegalArgumentException with Inferno's message for a bad parameter
   */
  Neuron newNeuron(long[] shape, int batchSize, double stepTime);

  /**
   * Whether the model takes overrides (events that force spikes): only ExactNeuron does.
   *
   * @return true for {@code exact}
   */
  default boolean takesOverrides() {
    return false;
  }

  /**
   * Inferno's {@code ExactNeuron}: spikes where the input is positive.
   *
   * @param restV the voltage shown where a neuron did not spike, in mV
   * @param threshV the voltage shown where it spiked, in mV; > restV
   */
  record Exact(double restV, double threshV) implements NeuronSpec {
    /** The model's name. */
    public static final String NAME = "exact";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<String> fields() {
      return List.of("rest_v", "thresh_v");
    }

    @Override
    public Neuron newNeuron(long[] shape, int batchSize, double stepTime) {
      return ExactNeuron.builder()
          .shape(shape)
          .stepTime(stepTime)
          .restV(restV)
          .threshV(threshV)
          .batchSize(batchSize)
          .build();
    }

    @Override
    public boolean takesOverrides() {
      return true;
    }
  }

  /**
   * Inferno's {@code LIF}: leaky integrate-and-fire.
   *
   * @param restV V_rest, in mV
   * @param resetV V_reset, the voltage after a spike, in mV
   * @param threshV the spiking threshold, in mV
   * @param refracT the absolute refractory period, in ms
   * @param timeConstant τ_m, in ms
   * @param resistance R_m, in MΩ
   */
  record Lif(
      double restV,
      double resetV,
      double threshV,
      double refracT,
      double timeConstant,
      double resistance)
      implements NeuronSpec {
    /** The model's name. */
    public static final String NAME = "lif";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<String> fields() {
      return List.of("rest_v", "reset_v", "thresh_v", "refrac_t", "time_constant", "resistance");
    }

    @Override
    public Neuron newNeuron(long[] shape, int batchSize, double stepTime) {
      return LIF.builder()
          .shape(shape)
          .stepTime(stepTime)
          .restV(restV)
          .resetV(resetV)
          .threshV(threshV)
          .refracT(refracT)
          .timeConstant(timeConstant)
          .resistance(resistance)
          .batchSize(batchSize)
          .build();
    }
  }

  /**
   * Inferno's {@code ALIF}: adaptive leaky integrate-and-fire, adaptations updated every step.
   *
   * @param restV V_rest, in mV
   * @param resetV V_reset, in mV
   * @param threshEqV Θ_∞, the threshold's equilibrium, in mV
   * @param refracT the absolute refractory period, in ms
   * @param tcMembrane τ_m, in ms
   * @param tcAdaptation τ_k, the adaptations' time constants, in ms
   * @param spikeIncrement d_k, what a spike adds to each adaptation, in mV
   * @param resistance R_m, in MΩ
   */
  record Alif(
      double restV,
      double resetV,
      double threshEqV,
      double refracT,
      double tcMembrane,
      double[] tcAdaptation,
      double[] spikeIncrement,
      double resistance)
      implements NeuronSpec {
    /** The model's name. */
    public static final String NAME = "alif";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public List<String> fields() {
      return List.of(
          "rest_v",
          "reset_v",
          "thresh_eq_v",
          "refrac_t",
          "tc_membrane",
          "tc_adaptation",
          "spike_increment",
          "resistance");
    }

    @Override
    public Neuron newNeuron(long[] shape, int batchSize, double stepTime) {
      return ALIF.builder()
          .shape(shape)
          .stepTime(stepTime)
          .restV(restV)
          .resetV(resetV)
          .threshEqV(threshEqV)
          .refracT(refracT)
          .tcMembrane(tcMembrane)
          .tcAdaptation(tcAdaptation)
          .spikeIncrement(spikeIncrement)
          .resistance(resistance)
          .batchSize(batchSize)
          .build();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Alif that
          && Double.compare(restV, that.restV) == 0
          && Double.compare(resetV, that.resetV) == 0
          && Double.compare(threshEqV, that.threshEqV) == 0
          && Double.compare(refracT, that.refracT) == 0
          && Double.compare(tcMembrane, that.tcMembrane) == 0
          && Arrays.equals(tcAdaptation, that.tcAdaptation)
          && Arrays.equals(spikeIncrement, that.spikeIncrement)
          && Double.compare(resistance, that.resistance) == 0;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tcAdaptation) * 31 + Double.hashCode(tcMembrane);
    }

    @Override
    public String toString() {
      return "Alif[rest_v="
          + restV
          + ", reset_v="
          + resetV
          + ", thresh_eq_v="
          + threshEqV
          + ", refrac_t="
          + refracT
          + ", tc_membrane="
          + tcMembrane
          + ", tc_adaptation="
          + Arrays.toString(tcAdaptation)
          + ", spike_increment="
          + Arrays.toString(spikeIncrement)
          + ", resistance="
          + resistance
          + "]";
    }
  }
}
