package io.spikestream.neural;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Where LIF's short idle rule {@code v -> rest + (v - rest) * decay} (float32, see {@code
 * LIF.idleSteps}) takes a voltage near rest: how many steps until a step leaves it bit-identical,
 * and that fixed point, memoized. A neuron left idle for longer than that jumps there in one lookup
 * instead of replaying the last and slowest part of its relaxation (from a quarter of a mV to the
 * fixed point a few ulps from rest: about 200 of the 280 steps of τ 20 ms, Δt 1 ms).
 *
 * <p>Why it is exact: near rest every float32 voltage is {@code rest + k u} for an integer k, u
 * being the spacing of floats in rest's binade, as long as the voltages stay in that binade (the
 * table's reach is chosen so). A step maps such a voltage to another one with {@code |k'| <= |k|}
 * (the product with decay in [0, 1) does not grow, and rounding rest plus it to the grid does not
 * pass beyond rest + k u), so a trajectory that starts in the table stays there. Every entry is
 * computed by the rule itself, step by step, the first time it is needed.
 *
 * <p>Tables are shared by every LIF with the same rest_v, decay and thresh_v, across threads:
 * entries are written atomically and a racing computation writes the same value.
 */
final class DecayTable {

  /**
   * The most steps of u a table reaches from rest (a quarter of a mV for rest -65 mV); a step that
   * changes k lowers |k|, so the steps to a fixed point and its index both fit in 16 bits.
   */
  private static final int MAX_REACH = (1 << 15) - 1;

  /** Below this reach a table saves too few steps to be worth its memory. */
  private static final int MIN_REACH = 64;

  /**
   * How many parameter sets get a shared table (256 KB each at most); LIFs of later ones replay
   * step by step.
   */
  private static final int MAX_TABLES = 64;

  private static final ConcurrentHashMap<Key, DecayTable> TABLES = new ConcurrentHashMap<>();

  private record Key(int rest, int decay, int thresh) {}

  private final float rest;
  private final float decay;
  private final float unit;
  private final int reach;

  /** Per k + reach: steps to the fixed point (high 16 bits) and its k + reach; 0 not yet known. */
  private final AtomicIntegerArray entries;

  private DecayTable(float rest, float decay, float unit, int reach) {
    this.rest = rest;
    this.decay = decay;
    this.unit = unit;
    this.reach = reach;
    this.entries = new AtomicIntegerArray(2 * reach + 1);
  }

  /**
   * The shared table of a parameter set, or null where none applies (decay not in [0, 1), rest_v 0,
   * not finite or too close to thresh_v or to the end of its binade) or the tables are used up.
   *
   * @param rest rest_v as float32, mV
   * @param decay the membrane decay as float32
   * @param thresh thresh_v as float32, mV
   */
  static DecayTable of(float rest, float decay, float thresh) {
    if (reach(rest, decay, thresh) < MIN_REACH) {
      return null;
    }
    Key key =
        new Key(
            Float.floatToRawIntBits(rest),
            Float.floatToRawIntBits(decay),
            Float.floatToRawIntBits(thresh));
    DecayTable table = TABLES.get(key);
    if (table == null && TABLES.size() < MAX_TABLES) {
      table = TABLES.computeIfAbsent(key, k -> create(rest, decay, thresh));
    }
    return table;
  }

  /**
   * A table of its own, not shared, or null where none applies.
   *
   * @see #of
   */
  static DecayTable create(float rest, float decay, float thresh) {
    int reach = reach(rest, decay, thresh);
    return reach < MIN_REACH ? null : new DecayTable(rest, decay, Math.ulp(rest), reach);
  }

  /** Forgets the shared tables (tests that build many parameter sets); LIFs keep theirs. */
  static void forgetShared() {
    TABLES.clear();
  }

  /** The largest k such that rest + j u, |j| <= k, stay in rest's binade and below thresh. */
  private static int reach(float rest, float decay, float thresh) {
    if (!(decay >= 0f && decay < 1f) || rest == 0f || !Float.isFinite(rest) || !(rest < thresh)) {
      return 0;
    }
    double u = Math.ulp(rest);
    double magnitude = Math.abs((double) rest);
    double low = Math.scalb(1.0, Math.getExponent(rest));
    double high = 2 * low;
    double toThresh = ((double) thresh - rest) / u - 1;
    double inBinade = Math.min((magnitude - low) / u, (high - magnitude) / u - 1);
    return (int) Math.max(0, Math.min(MAX_REACH, Math.min(toThresh, inBinade)));
  }

  /**
   * @return the largest |V - rest_v| the table answers for, mV
   */
  float radius() {
    return reach * unit;
  }

  /**
   * The steps from a voltage within {@link #radius} of rest_v to the first step that leaves it
   * bit-identical, that step included.
   *
   * @param offset V - rest_v, exact, at most {@link #radius} in magnitude, mV
   * @return the steps in the high 16 bits, the fixed point's offset from rest_v in units of the
   *     float spacing, plus the reach, in the low 16 bits (see {@link #fixedVoltage})
   */
  int entry(float offset) {
    int index = (int) (offset / unit) + reach;
    int known = entries.getOpaque(index);
    return known != 0 ? known : fill(index);
  }

  /**
   * @param entry an {@link #entry}
   * @return the steps it takes to the fixed point
   */
  static int steps(int entry) {
    return entry >>> 16;
  }

  /**
   * @param entry an {@link #entry}
   * @return the fixed point's voltage, mV
   */
  float fixedVoltage(int entry) {
    return rest + ((entry & 0xffff) - reach) * unit;
  }

  /** Steps the rule from index until a known entry or a fixed point, then writes the path's. */
  private int fill(int index) {
    int[] path = new int[64];
    int length = 0;
    int at = index;
    int known;
    while (true) {
      if (length == path.length) {
        path = java.util.Arrays.copyOf(path, 2 * length);
      }
      path[length++] = at;
      float v = rest + (at - reach) * unit;
      float next = rest + (v - rest) * decay;
      int nextIndex = (int) ((next - rest) / unit) + reach;
      if (nextIndex == at) {
        known = 1 << 16 | at;
        entries.setOpaque(at, known);
        length--;
        break;
      }
      known = entries.getOpaque(nextIndex);
      if (known != 0) {
        break;
      }
      at = nextIndex;
    }
    for (int p = length - 1; p >= 0; p--) {
      known += 1 << 16;
      entries.setOpaque(path[p], known);
    }
    return known;
  }
}
