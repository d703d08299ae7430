package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drives LIF and ALIF groups the way the streaming job does (sparse steps with idle gaps skipped,
 * explicit zero-input steps, a few dense steps) and writes each case for the cross-check against
 * Inferno itself ({@code bench/inferno_crosscheck.py}, which needs an Inferno checkout, so it is
 * not run here): under {@code target/inferno-cases/case-NN/}, {@code case.properties} (model and
 * hyperparameters), {@code inputs.f32} (every step's dense input, zero in idle steps, float32
 * little-endian, {@code [steps, B, N...]}), {@code spikes.u8} (every step's spikes, one byte per
 * neuron) and {@code state-T.f32} (voltages, refractory periods and, for ALIF, adaptations after
 * step T). It also checks every case against {@link InfernoOracle} stepped every step.
 */
class InfernoCasesTest {

  static final long SEED = RandomHyper.BASE_SEED + 5000;
  static final int CASES = 24;
  static final int STEPS = 400;

  @Test
  void writeCasesForTheInfernoCrossCheck() throws IOException {
    Path root = Path.of("target", "inferno-cases");
    Files.createDirectories(root);
    System.out.println("InfernoCasesTest seed " + SEED + ", cases in " + root.toAbsolutePath());
    int skippedSteps = 0;
    for (int c = 0; c < CASES; c++) {
      Random random = new Random(SEED + c);
      LinearHyper drawn = LinearHyper.draw(SEED + c);
      // smaller groups than the unit tests': Inferno steps every one of them in Python
      long[] shape = {1 + random.nextInt(6), 1 + random.nextInt(8)};
      int batch = 1 + random.nextInt(8);
      LinearHyper hyper =
          new LinearHyper(
              drawn.seed(),
              shape,
              drawn.stepTime(),
              drawn.restV(),
              drawn.resetV(),
              drawn.threshV(),
              c % 5 == 0 ? 0.0 : drawn.refracT(),
              drawn.timeConstant(),
              drawn.resistance(),
              batch,
              drawn.tcAdaptation(),
              drawn.spikeIncrement());
      boolean adaptive = c % 2 == 1;
      skippedSteps +=
          writeCase(root.resolve(String.format("case-%02d", c)), hyper, adaptive, random);
    }
    assertTrue(skippedSteps > 0, "no idle step was skipped");
  }

  private static int writeCase(Path dir, LinearHyper hyper, boolean adaptive, Random random)
      throws IOException {
    Files.createDirectories(dir);
    LazyNeuron neuron = adaptive ? hyper.alif() : hyper.lif();
    InfernoOracle oracle =
        adaptive ? InfernoOracle.of((ALIF) neuron) : InfernoOracle.of((LIF) neuron);
    int n = hyper.neurons();
    List<float[]> inputs = new ArrayList<>();
    List<byte[]> spikes = new ArrayList<>();
    List<Integer> checkpoints = new ArrayList<>();
    int skipped = 0;
    while (inputs.size() < STEPS) {
      int kind = random.nextInt(10);
      float[] x = new float[n];
      if (kind < 2 && !neuron.canSpikeWithoutInput()) {
        int gap = Math.min(1 + random.nextInt(40), STEPS - inputs.size());
        neuron.skipIdle(gap);
        for (int s = 0; s < gap; s++) {
          oracle.step(new float[n]);
          inputs.add(new float[n]);
          spikes.add(new byte[n]);
        }
        skipped += gap;
        continue;
      }
      if (kind < 7) {
        int count = random.nextInt(6);
        int[] indices = random.ints(count, 0, n).toArray();
        double[] currents = new double[count];
        double[] sums = new double[n];
        for (int j = 0; j < count; j++) {
          currents[j] = 60 * random.nextGaussian() + 40;
          sums[indices[j]] += currents[j];
        }
        for (int i = 0; i < n; i++) {
          x[i] = (float) sums[i];
        }
        neuron.forwardSparse(indices, currents, count);
      } else if (kind < 9) {
        x = hyper.currents(random);
        neuron.forward(hyper.array(x));
      } else {
        neuron.forwardSparse(new int[0], new double[0], 0);
      }
      oracle.step(x);
      inputs.add(x);
      byte[] s = new byte[n];
      for (int i : neuron.spikedIndices()) {
        s[i] = 1;
      }
      spikes.add(s);
      assertArrayEquals(oracle.spikedIndices(), neuron.spikedIndices(), hyper::toString);
      if (random.nextInt(10) == 0 || inputs.size() == STEPS) {
        int step = inputs.size() - 1;
        checkpoints.add(step);
        writeState(dir.resolve("state-" + step + ".f32"), neuron);
        LinearHyper.assertSameState(oracle, neuron, hyper + " step " + step);
      }
    }
    if (!checkpoints.contains(STEPS - 1)) {
      checkpoints.add(STEPS - 1);
      writeState(dir.resolve("state-" + (STEPS - 1) + ".f32"), neuron);
      LinearHyper.assertSameState(oracle, neuron, hyper + " at the end");
    }
    writeFloats(dir.resolve("inputs.f32"), inputs);
    try (OutputStream out = Files.newOutputStream(dir.resolve("spikes.u8"))) {
      for (byte[] s : spikes) {
        out.write(s);
      }
    }
    StringBuilder p = new StringBuilder();
    p.append("model=").append(adaptive ? "ALIF" : "LIF").append('\n');
    p.append("shape=").append(hyper.shape()[0]).append(',').append(hyper.shape()[1]).append('\n');
    p.append("batch_size=").append(hyper.batchSize()).append('\n');
    p.append("step_time=").append(hyper.stepTime()).append('\n');
    p.append("rest_v=").append(hyper.restV()).append('\n');
    p.append("reset_v=").append(hyper.resetV()).append('\n');
    p.append("thresh_v=").append(hyper.threshV()).append('\n');
    p.append("refrac_t=").append(hyper.refracT()).append('\n');
    p.append("time_constant=").append(hyper.timeConstant()).append('\n');
    p.append("resistance=").append(hyper.resistance()).append('\n');
    p.append("tc_adaptation=").append(join(hyper.tcAdaptation())).append('\n');
    p.append("spike_increment=").append(join(hyper.spikeIncrement())).append('\n');
    p.append("steps=").append(STEPS).append('\n');
    p.append("skipped_steps=").append(skipped).append('\n');
    p.append("checkpoints=")
        .append(String.join(",", checkpoints.stream().map(String::valueOf).toList()))
        .append('\n');
    Files.writeString(dir.resolve("case.properties"), p);
    return skipped;
  }

  private static String join(double[] values) {
    StringBuilder text = new StringBuilder();
    for (double v : values) {
      text.append(text.length() == 0 ? "" : ",").append(v);
    }
    return text.toString();
  }

  private static void writeState(Path file, LazyNeuron neuron) throws IOException {
    List<float[]> parts = new ArrayList<>();
    parts.add(LinearHyper.floats(neuron.voltage()));
    parts.add(LinearHyper.floats(neuron.refrac()));
    if (neuron instanceof ALIF alif) {
      parts.add(LinearHyper.floats(alif.thresholdAdaptation()));
    }
    writeFloats(file, parts);
  }

  private static void writeFloats(Path file, List<float[]> arrays) throws IOException {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      for (float[] array : arrays) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * array.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : array) {
          bytes.putInt(Float.floatToRawIntBits(v));
        }
        out.write(bytes.array());
      }
    }
  }
}
