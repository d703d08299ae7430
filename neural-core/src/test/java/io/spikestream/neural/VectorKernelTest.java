package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The Vector API form of the dense steps against the scalar loops, on random constants and hostile
 * states (NaN, infinities, signed zeros, subnormals, values a few ulps from the threshold and the
 * cold limit, refractory periods around Δt), at random offsets and lengths: voltages, periods and
 * adaptations equal bit for bit (any NaN equal to any NaN), spike bytes and doubt bytes (the units
 * left to judge) exactly. Short runs check the interpreted Vector API; long ones its compiled form.
 */
class VectorKernelTest {

  static final long SEED = RandomHyper.BASE_SEED + 7000;

  @BeforeAll
  static void printSeed() {
    System.out.println(
        "VectorKernelTest seed " + SEED + " (-Dspikestream.seed=N replays another run)");
  }

  @Test
  void theBuildRunsTheDenseStepsOnTheVectorApi() {
    assertTrue(VectorSupport.ENABLED, VectorSupport.describe());
  }

  @RepeatedTest(60)
  void lifEqualsTheScalarLoop(RepetitionInfo repetition) {
    Random random = new Random(SEED + repetition.getCurrentRepetition());
    for (int round = 0; round < 20; round++) {
      checkLif(random, 1 + random.nextInt(200));
    }
  }

  @RepeatedTest(60)
  void alifEqualsTheScalarLoop(RepetitionInfo repetition) {
    Random random = new Random(SEED + 100 + repetition.getCurrentRepetition());
    for (int round = 0; round < 20; round++) {
      checkAlif(random, 1 + random.nextInt(200));
    }
  }

  @Test
  void compiledLifAndAlifEqualTheScalarLoops() {
    Random random = new Random(SEED + 999);
    for (int round = 0; round < 1500; round++) {
      checkLif(random, 2048 + random.nextInt(16));
      checkAlif(random, 2048 + random.nextInt(16));
    }
  }

  private static void checkLif(Random random, int n) {
    DenseStep c = constants(random);
    int from = random.nextInt(Math.min(n, 12));
    float[] v = hostile(random, n, c);
    float[] r = periods(random, n, c);
    ByteBuffer in = currents(random, n);
    float[] v2 = v.clone();
    float[] r2 = r.clone();
    ByteBuffer out = spikeBytes(n);
    ByteBuffer out2 = spikeBytes(n);
    byte[] doubt = marks(n);
    byte[] doubt2 = marks(n);

    LinearKernel.lifDense(v, r, in, out, from, n, c, doubt);
    int stop = VectorKernel.lif(v2, r2, in, out2, from, n, c, doubt2);
    LinearKernel.lifDense(v2, r2, in, out2, stop, n, c, doubt2);

    String context = c + " n=" + n + " from=" + from;
    assertEquals(from + (n - from) / 8 * 8, stop, context);
    assertSameFloats(v, v2, "voltage " + context);
    assertSameFloats(r, r2, "refrac " + context);
    assertEquals(out, out2, "spike bytes " + context);
    assertArrayEquals(doubt, doubt2, "doubt bytes " + context);
  }

  private static void checkAlif(Random random, int n) {
    DenseStep c = constants(random);
    int from = random.nextInt(Math.min(n, 12));
    float[] v = hostile(random, n, c);
    float[] r = periods(random, n, c);
    float[] a = adaptations(random, n);
    ByteBuffer in = currents(random, n);
    float[] v2 = v.clone();
    float[] r2 = r.clone();
    float[] a2 = a.clone();
    ByteBuffer out = spikeBytes(n);
    ByteBuffer out2 = spikeBytes(n);
    byte[] doubt = marks(n);
    byte[] doubt2 = marks(n);

    LinearKernel.alifDenseOne(v, r, a, in, out, from, n, c, doubt);
    int stop = VectorKernel.alifOne(v2, r2, a2, in, out2, from, n, c, doubt2);
    LinearKernel.alifDenseOne(v2, r2, a2, in, out2, stop, n, c, doubt2);

    String context = c + " n=" + n + " from=" + from;
    assertEquals(from + (n - from) / 8 * 8, stop, context);
    assertSameFloats(v, v2, "voltage " + context);
    assertSameFloats(r, r2, "refrac " + context);
    assertSameFloats(a, a2, "adaptation " + context);
    assertEquals(out, out2, "spike bytes " + context);
    assertArrayEquals(doubt, doubt2, "doubt bytes " + context);
  }

  /** Constants as the models round them, the cold limit included; sometimes extreme. */
  private static DenseStep constants(Random random) {
    float rest = (float) (-80 + 40 * random.nextDouble());
    if (random.nextInt(10) == 0) {
      rest = 0f;
    }
    float thresh = rest + (float) (0.5 + 20 * random.nextDouble());
    float reset = rest - (float) (10 * random.nextDouble());
    float dt = (float) (0.1 + 2 * random.nextDouble());
    float decay =
        random.nextInt(10) == 0 ? 1f : (float) Math.exp(-dt / (1 + 50 * random.nextDouble()));
    float ohms = (float) ((random.nextBoolean() ? 1 : -1) * (0.1 + 3 * random.nextDouble()));
    float refracPeriod =
        random.nextInt(5) == 0 ? 0f : (float) (dt * (0.5 + 4 * random.nextDouble()));
    float adaptDecay = (float) Math.exp(-dt / (1 + 1000 * random.nextDouble()));
    float increment = (float) (random.nextInt(5) == 0 ? -random.nextDouble() : random.nextDouble());
    return new DenseStep(
        dt,
        rest,
        decay,
        ohms,
        thresh,
        reset,
        refracPeriod,
        LinearKernel.coldLimit(rest, thresh),
        adaptDecay,
        increment);
  }

  private static final float[] SPECIAL = {
    Float.NaN,
    Float.intBitsToFloat(0xffc00000),
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    0f,
    -0f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE
  };

  /** Voltages: mostly near the threshold, rest and reset, some a few ulps off, some special. */
  private static float[] hostile(Random random, int n, DenseStep c) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(12);
      float near =
          switch (kind % 4) {
            case 0 -> c.thresh();
            case 1 -> c.coldLimit() == Float.NEGATIVE_INFINITY ? c.rest() : c.coldLimit();
            case 2 -> c.rest();
            default -> c.reset();
          };
      v[i] =
          kind == 11
              ? SPECIAL[random.nextInt(SPECIAL.length)]
              : kind < 4 ? ulpsFrom(near, random) : near + (float) (5 * random.nextGaussian());
    }
    return v;
  }

  private static float[] periods(Random random, int n, DenseStep c) {
    float[] r = new float[n];
    for (int i = 0; i < n; i++) {
      r[i] =
          switch (random.nextInt(6)) {
            case 0 -> 0f;
            case 1 -> -0f;
            case 2 -> ulpsFrom(c.dt(), random);
            case 3 -> c.refracPeriod();
            case 4 -> Float.MIN_VALUE;
            default -> (float) (5 * random.nextDouble());
          };
    }
    return r;
  }

  private static float[] adaptations(Random random, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      a[i] =
          kind == 0
              ? SPECIAL[random.nextInt(SPECIAL.length)]
              : kind == 1 ? -(float) random.nextDouble() : (float) (3 * random.nextDouble());
    }
    return a;
  }

  private static ByteBuffer currents(Random random, int n) {
    ByteBuffer in = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float x =
          random.nextInt(25) == 0
              ? SPECIAL[random.nextInt(SPECIAL.length)]
              : (float) (20 * (random.nextGaussian() - random.nextDouble()) + 10);
      in.putFloat(4 * i, x);
    }
    return in;
  }

  /** Spike bytes prefilled with a pattern, so that writes before {@code from} would show. */
  private static ByteBuffer spikeBytes(int n) {
    ByteBuffer out = ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out.put(i, (byte) 7);
    }
    return out;
  }

  /** Doubt bytes prefilled with a pattern, so that writes before {@code from} would show. */
  private static byte[] marks(int n) {
    byte[] marks = new byte[n];
    Arrays.fill(marks, (byte) 7);
    return marks;
  }

  private static float ulpsFrom(float x, Random random) {
    int bits = Float.floatToRawIntBits(x) + random.nextInt(9) - 4;
    return Float.intBitsToFloat(bits);
  }

  private static void assertSameFloats(float[] expected, float[] actual, String context) {
    for (int i = 0; i < expected.length; i++) {
      int e = Float.floatToIntBits(expected[i]);
      int a = Float.floatToIntBits(actual[i]);
      if (e != a) {
        assertEquals(
            Integer.toHexString(e),
            Integer.toHexString(a),
            context + " at " + i + ": " + expected[i] + " vs " + actual[i]);
      }
    }
  }
}
