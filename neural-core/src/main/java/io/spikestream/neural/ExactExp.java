package io.spikestream.neural;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Correctly rounded exponentials for the decay factors, computed once per parameter change.
 *
 * <p>The reference takes the membrane decay {@code exp(-dt / tau)} with Python's {@code math.exp}
 * (glibc's {@code exp}, within 0.502 ulp of the exact value, so correctly rounded except within
 * 0.002 ulp of a rounding boundary) and PyTorch rounds it to float32 where it multiplies. Java's
 * {@code Math.exp} and {@code StrictMath.exp} are only within 1 ulp, so the value is computed here
 * exactly enough to round correctly: in 90 significant digits, then rounded to double (and by the
 * caller to float32) or straight to float32.
 */
final class ExactExp {

  private static final MathContext DIGITS = new MathContext(90, RoundingMode.HALF_EVEN);
  private static final BigDecimal HALF = new BigDecimal("0.5");
  private static final BigDecimal SMALL = new BigDecimal("0.001");
  private static final BigDecimal NEGLIGIBLE = new BigDecimal("1e-95");

  private ExactExp() {}

  /**
   * @param x any double
   * @return e<sup>x</sup> rounded to the nearest double
   */
  static double exp(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x > 710.0) {
      return Double.POSITIVE_INFINITY;
    }
    if (x < -750.0) {
      return 0.0;
    }
    return x == 0.0 ? 1.0 : exact(x).doubleValue();
  }

  /**
   * @param x any float
   * @return e<sup>x</sup> rounded to the nearest float
   */
  static float expf(float x) {
    if (Float.isNaN(x)) {
      return x;
    }
    if (x > 89f) {
      return Float.POSITIVE_INFINITY;
    }
    if (x < -105f) {
      return 0f;
    }
    return x == 0f ? 1f : exact(x).floatValue();
  }

  /** e^x to 90 digits for |x| <= 750: Taylor series of x / 2^k, squared k times. */
  private static BigDecimal exact(double x) {
    BigDecimal reduced = new BigDecimal(x);
    int halvings = 0;
    while (reduced.abs().compareTo(SMALL) > 0) {
      reduced = reduced.multiply(HALF);
      halvings++;
    }
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal term = BigDecimal.ONE;
    for (int n = 1; term.abs().compareTo(NEGLIGIBLE) > 0; n++) {
      term = term.multiply(reduced, DIGITS).divide(BigDecimal.valueOf(n), DIGITS);
      sum = sum.add(term, DIGITS);
    }
    for (int k = 0; k < halvings; k++) {
      sum = sum.multiply(sum, DIGITS);
    }
    return sum;
  }
}
