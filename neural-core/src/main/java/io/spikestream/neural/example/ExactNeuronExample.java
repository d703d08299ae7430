package io.spikestream.neural.example;

import io.spikestream.neural.ExactNeuron;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Steps a 2x3 group of ExactNeurons (batch 1) through three steps and prints what it does: the
 * README's first command runs this.
 */
public final class ExactNeuronExample {

  private ExactNeuronExample() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    ExactNeuron neuron =
        ExactNeuron.builder().shape(2, 3).stepTime(1.0).restV(-65.0).threshV(-50.0).build();
    System.out.println(neuron);

    float[][][] currents = { // nA, one [1, 2, 3] array per step
      {{0.5f, -1.0f, 0.0f, 2.0f, -0.1f, 1e-3f}},
      {{-0.5f, 1.0f, 1.0f, -2.0f, 0.1f, -1e-3f}},
      {{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}},
    };
    for (int step = 0; step < currents.length; step++) {
      INDArray inputs = Nd4j.create(currents[step][0], new long[] {1, 2, 3}, 'c');
      neuron.forward(inputs);
      System.out.printf(
          "step %d  t=%.1f ms  currents=%s%n  spiked=%s%n  voltage (mV)=%s%n",
          step,
          step * neuron.dt(),
          Arrays.toString(currents[step][0]),
          Arrays.toString(neuron.spikedIndices()),
          Arrays.toString(neuron.voltage().data().asFloat()));
    }

    INDArray override =
        Nd4j.createFromArray(new boolean[][][] {{{true, false, false}, {false, false, true}}});
    neuron.forward(Nd4j.zeros(1, 2, 3), override);
    System.out.println("override forces spikes at " + Arrays.toString(neuron.spikedIndices()));
  }
}
