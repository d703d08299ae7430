package io.spikestream.neural;

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

  /** Raw bits, so that -0.0 differs from 0.0 and NaN payloads count. */
  static boolean same(float a, float b) {
    return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
  }
}
