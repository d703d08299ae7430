package io.spikestream.neural;

import java.nio.ByteBuffer;

/**
 * The float32 step of Inferno's linear neurons ({@code neuron_dynamics.py}), one element at a time,
 * every operation rounded to float32 in the reference's order, as PyTorch computes a float32 tensor
 * with Python-float operands (each rounded to float32 first). Pure functions; the models keep the
 * state.
 */
final class LinearKernel {

  private LinearKernel() {}

  /**
   * {@code (refracs - step_time).clamp(min=0)}: NaN and -0.0 stay, as in PyTorch's clamp.
   *
   * @param refrac remaining refractory period, ms
   * @param dt the step time as float32, ms
   * @return the period left after this step, ms
   */
  static float refracLeft(float refrac, float dt) {
    float left = refrac - dt;
    return left < 0f ? 0f : left;
  }

  /**
   * {@code voltage_integration_linear}: {@code rest_v + (voltages - rest_v - R * I) * decay + R *
   * I}, left to right.
   *
   * @param v membrane voltage, mV
   * @param current the masked input current, nA
   * @param rest rest_v as float32, mV
   * @param decay exp(-dt / tau) as float32
   * @param resistance R as float32, MΩ
   * @return the integrated voltage, mV
   */
  static float integrate(float v, float current, float rest, float decay, float resistance) {
    float ext = resistance * current;
    return (rest + ((v - rest) - ext) * decay) + ext;
  }

  /**
   * Whether no run of zero-input steps from voltage {@code v} can reach {@code thresh}, whatever
   * the refractory period (the voltage is held while it lasts and no spike comes then).
   *
   * <p>Let g be one zero-input integration, v -> integrate(v, 0). Each of its float32 operations is
   * monotone (a rounded sum or difference with a constant, a rounded product with decay >= 0), so g
   * is monotone: x <= y implies g(x) <= g(y). Hence the iterates g<sup>k</sup>(v) are monotone too:
   * if g(v) <= v, then g(g(v)) <= g(v) and so on, all at or below v. Then:
   *
   * <ul>
   *   <li>NaN: a NaN voltage stays NaN and {@code NaN >= thresh} is false; if g(v) is NaN (an
   *       infinite R or decay product), the first step that integrates makes it NaN, without a
   *       spike then or after.
   *   <li>v <= rest: v - rest <= 0 rounds to <= 0, times decay to <= 0, rest plus that rounds to <=
   *       rest (rest is a float32), and adding R * 0 = ±0 changes nothing; so g maps (-inf, rest]
   *       into itself and no iterate reaches thresh if rest < thresh in float32.
   *   <li>v < thresh and g(v) <= v: the iterates never rise above v.
   * </ul>
   *
   * Anything else (g(v) > v above rest, which rounding of v - rest can cause, or v >= thresh) is
   * reported as not cold.
   *
   * @param v membrane voltage, mV
   * @param rest rest_v as float32, mV
   * @param thresh the threshold as float32, mV (for ALIF, thresh_eq_v: adaptations that stay >= 0
   *     keep the threshold at or above it)
   * @param decay exp(-dt / tau) as float32
   * @param resistance R as float32
   * @return true if no zero-input step can make this voltage spike
   */
  static boolean voltageCold(float v, float rest, float thresh, float decay, float resistance) {
    if (v != v) {
      return true;
    }
    float next = integrate(v, 0f, rest, decay, resistance);
    if (next != next) {
      return true;
    }
    if (v <= rest && rest < thresh) {
      return true;
    }
    return v < thresh && next <= v;
  }

  /**
   * The largest voltage below which {@link #voltageCold} holds without computing it: v <= limit
   * implies v < thresh and, v - rest being exact there (Sterbenz: v within a factor 2 of rest, or
   * rest = 0), that a zero-input integration cannot raise v: (v - rest) - R*0 is v - rest exactly,
   * times decay <= 1 it does not grow, and rest plus it rounds to at most rest + (v - rest) = v.
   * Below rest, the second case of {@link #voltageCold}. A dense step thus judges most neurons with
   * one comparison and calls {@link #voltageCold} for the rest.
   *
   * @return the limit, or -inf where no voltage qualifies (rest >= thresh in float32, or a rest so
   *     small that halving it is inexact)
   */
  static float coldLimit(float rest, float thresh) {
    if (!(rest < thresh) || (rest != 0f && Math.abs(rest) < Float.MIN_NORMAL * 4)) {
      return Float.NEGATIVE_INFINITY;
    }
    float sterbenz = rest < 0f ? rest * 0.5f : rest > 0f ? rest * 2f : Float.POSITIVE_INFINITY;
    return Math.min(Math.nextDown(thresh), sterbenz);
  }

  /**
   * The dense LIF step of neurons [from, to), the rule of {@link LIF}, written without
   * data-dependent branches (selects instead), since spikes and refractory periods are as good as
   * random and a mispredicted branch costs more than the arithmetic of a neuron.
   *
   * @param v membrane voltages, mV, updated
   * @param r remaining refractory periods, ms, updated
   * @param in the float32 currents, nA, little-endian
   * @param out the spike bytes (1 for a spike), written
   * @param doubt per neuron, written: 1 where the new voltage is above the step's cold limit (the
   *     neuron is to be judged by the model's full cold test), else 0
   */
  static void lifDense(
      float[] v,
      float[] r,
      ByteBuffer in,
      ByteBuffer out,
      int from,
      int to,
      DenseStep c,
      byte[] doubt) {
    float dt = c.dt();
    float rest = c.rest();
    float decay = c.decay();
    float ohms = c.ohms();
    float thresh = c.thresh();
    float reset = c.reset();
    float refracPeriod = c.refracPeriod();
    float limit = c.coldLimit();
    for (int i = from; i < to; i++) {
      float left = refracLeft(r[i], dt);
      float vi = v[i];
      float next = integrate(vi, in.getFloat(i << 2), rest, decay, ohms);
      boolean open = left == 0f;
      boolean spike = open & next >= thresh;
      float updated = spike ? reset : open ? next : vi;
      v[i] = updated;
      r[i] = spike ? refracPeriod : left;
      out.put(i, spike ? (byte) 1 : (byte) 0);
      doubt[i] = updated <= limit ? (byte) 0 : (byte) 1;
    }
  }

  /**
   * The dense step of an ALIF with a batch of one and one adaptation per neuron, positions [from,
   * to): {@code ALIF}'s step fused into one pass, where the batch mean of one value is 0 + u
   * (PyTorch's sum starts at 0; dividing by 1 changes nothing).
   *
   * @param v membrane voltages, mV, updated
   * @param r remaining refractory periods, ms, updated
   * @param a threshold adaptations, mV, updated
   * @param in the float32 currents, nA, little-endian
   * @param out the spike bytes (1 for a spike), written
   * @param doubt per position, written: 1 where the new voltage is above the step's cold limit or
   *     the adaptation is negative or NaN, else 0
   */
  static void alifDenseOne(
      float[] v,
      float[] r,
      float[] a,
      ByteBuffer in,
      ByteBuffer out,
      int from,
      int to,
      DenseStep c,
      byte[] doubt) {
    float dt = c.dt();
    float rest = c.rest();
    float decay = c.decay();
    float ohms = c.ohms();
    float threshEq = c.thresh();
    float reset = c.reset();
    float refracPeriod = c.refracPeriod();
    float limit = c.coldLimit();
    float adaptDecay = c.adaptDecay();
    float increment = c.increment();
    for (int p = from; p < to; p++) {
      float ap = a[p];
      float theta = threshEq + (0f + ap);
      float left = refracLeft(r[p], dt);
      float vi = v[p];
      float next = integrate(vi, in.getFloat(p << 2), rest, decay, ohms);
      boolean open = left == 0f;
      boolean spike = open & next >= theta;
      float updated = spike ? reset : open ? next : vi;
      float after = spike ? refracPeriod : left;
      v[p] = updated;
      r[p] = after;
      out.put(p, spike ? (byte) 1 : (byte) 0);
      float na = 0f + ((after > 0f ? ap : ap * adaptDecay) + increment * (spike ? 1f : 0f));
      a[p] = na;
      doubt[p] = updated <= limit & na >= 0f ? (byte) 0 : (byte) 1;
    }
  }

  /** Raw bits, so that -0.0 differs from 0.0 and NaN payloads count. */
  static boolean same(float a, float b) {
    return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
  }
}
