package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link DecayTable}: every entry asked for equals the short idle rule stepped one step at a time,
 * for random and edge parameter sets (rest_v next to a power of two, thresh_v a few ulps above
 * rest_v, decays from 0 to just below 1); no table where none applies.
 */
class DecayTableTest {

  @Test
  void entriesEqualTheRuleSteppedOneStepAtATime() {
    Random random = new Random(RandomHyper.BASE_SEED + 7000);
    float[] rests = {-65f, -64.001f, -63.999f, -70f, -60.5f, -0.3f, 12.5f, 1e-3f};
    float[] decays = {0f, 1e-6f, 0.5f, (float) Math.exp(-1.0 / 20), 0.999f, Math.nextDown(1f)};
    int tables = 0;
    for (int trial = 0; trial < 60; trial++) {
      float rest = trial < rests.length ? rests[trial] : (float) (-80 + 30 * random.nextDouble());
      float decay = decays[trial % decays.length];
      if (trial >= decays.length * 2 && random.nextBoolean()) {
        decay = (float) Math.exp(-(0.1 + 2 * random.nextDouble()) / (2 + 50 * random.nextDouble()));
      }
      float thresh =
          random.nextInt(4) == 0
              ? rest + 200 * Math.ulp(rest)
              : rest + (float) (1 + 20 * random.nextDouble());
      DecayTable table = DecayTable.create(rest, decay, thresh);
      if (table == null) {
        continue;
      }
      tables++;
      float unit = Math.ulp(rest);
      int reach = Math.round(table.radius() / unit);
      assertTrue(rest + table.radius() < thresh, "radius below thresh_v");
      for (int sample = 0; sample < 40; sample++) {
        int k =
            sample < 3 ? new int[] {0, reach, -reach}[sample] : random.nextInt(-reach, reach + 1);
        float v = rest + k * unit;
        int entry = table.entry(v - rest);
        int steps = 0;
        float at = v;
        while (true) {
          steps++;
          float next = rest + (at - rest) * decay;
          assertTrue(Math.abs(next - rest) <= Math.abs(at - rest), "contracting");
          if (Float.floatToRawIntBits(next) == Float.floatToRawIntBits(at)) {
            break;
          }
          at = next;
        }
        String context = "rest " + rest + " decay " + decay + " from " + v;
        assertEquals(steps, DecayTable.steps(entry), context);
        assertEquals(
            Float.floatToRawIntBits(at),
            Float.floatToRawIntBits(table.fixedVoltage(entry)),
            context);
      }
    }
    assertTrue(tables >= 30, "most draws get a table: " + tables);
  }

  /**
   * Threads filling one table at once (a TaskManager's slots share it) leave every entry as one
   * thread alone makes it.
   */
  @Test
  void threadsFillingOneTableAgreeWithOneThreadAlone() throws Exception {
    float rest = -65f;
    float decay = (float) Math.exp(-1.0 / 20);
    float thresh = -50f;
    DecayTable alone = DecayTable.create(rest, decay, thresh);
    DecayTable shared = DecayTable.create(rest, decay, thresh);
    int reach = Math.round(alone.radius() / Math.ulp(rest));
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = RandomHyper.BASE_SEED + 7100 + t;
        done.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  start.await();
                  for (int n = 0; n < 20_000; n++) {
                    shared.entry(random.nextInt(-reach, reach + 1) * Math.ulp(rest));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    for (int k = -reach; k <= reach; k += 7) {
      float offset = k * Math.ulp(rest);
      assertEquals(alone.entry(offset), shared.entry(offset), "offset " + offset);
    }
  }

  @Test
  void noTableWhereNoneApplies() {
    float decay = (float) Math.exp(-1.0 / 20);
    DecayTable.forgetShared();
    assertNull(DecayTable.of(0f, decay, 10f), "rest_v 0");
    assertNull(DecayTable.of(-64f, decay, -50f), "rest_v at a power of two");
    assertNull(DecayTable.of(-65f, 1f, -50f), "decay 1");
    assertNull(DecayTable.of(-65f, Float.NaN, -50f), "decay NaN");
    assertNull(DecayTable.of(Float.NaN, decay, -50f), "rest_v NaN");
    assertNull(DecayTable.of(-65f, decay, Math.nextUp(-65f)), "thresh_v an ulp above rest_v");
    assertNotNull(DecayTable.of(-65f, decay, -50f));
    assertEquals(DecayTable.of(-65f, decay, -50f), DecayTable.of(-65f, decay, -50f), "shared");
  }
}
