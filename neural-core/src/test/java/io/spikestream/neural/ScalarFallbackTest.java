package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} (as a plain {@code java -jar}
 * is) steps LIF and ALIF densely through the scalar loops, says so in its log line, and gives the
 * same spikes and state as this JVM, which runs the Vector API form.
 */
class ScalarFallbackTest {

  @Test
  void aJvmWithoutTheVectorModuleStepsTheSameSpikesAndStateThroughTheScalarLoops()
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), DenseRun.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
    assertEquals(0, child.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertTrue(
        lines.get(0).startsWith("LIF/ALIF dense steps: scalar (start the JVM with"), lines.get(0));
    assertTrue(VectorSupport.ENABLED, VectorSupport.describe());
    assertEquals(DenseRun.fingerprint(), lines.get(1));
  }

  /** Steps a LIF and an ALIF group densely and prints how, and what came out. */
  static final class DenseRun {

    private DenseRun() {}

    public static void main(String[] args) {
      String fingerprint = fingerprint();
      System.out.println(VectorSupport.describe());
      System.out.println(fingerprint);
    }

    /**
     * @return each step's spiked indices and the final snapshots, hashed (any NaN equal to any NaN,
     *     as snapshots compare)
     */
    static String fingerprint() {
      LIF lif =
          LIF.builder()
              .shape(1003)
              .stepTime(1)
              .restV(-65)
              .resetV(-70)
              .threshV(-50)
              .refracT(2)
              .timeConstant(20)
              .batchSize(2)
              .build();
      ALIF alif =
          ALIF.builder()
              .shape(1001)
              .stepTime(1)
              .restV(-65)
              .resetV(-70)
              .threshEqV(-50)
              .refracT(2)
              .tcMembrane(20)
              .tcAdaptation(100)
              .spikeIncrement(1)
              .build();
      Random random = new Random(20261202);
      long[] hashes = new long[2];
      for (int step = 0; step < 60; step++) {
        hashes[0] = 31 * hashes[0] + Arrays.hashCode(stepped(lif, random, 2006));
        hashes[1] = 31 * hashes[1] + Arrays.hashCode(stepped(alif, random, 1001));
      }
      return "lif "
          + hashes[0]
          + " "
          + lif.snapshot().hashCode()
          + " alif "
          + hashes[1]
          + " "
          + alif.snapshot().hashCode();
    }

    private static int[] stepped(Neuron neuron, Random random, int n) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] =
            random.nextInt(50) == 0
                ? (random.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY)
                : (float) (20 * (random.nextGaussian() - random.nextDouble()) + 10);
      }
      neuron.forward(Nd4j.create(x, neuron.batchedShape(), 'c'));
      return neuron.spikedIndices();
    }
  }
}
