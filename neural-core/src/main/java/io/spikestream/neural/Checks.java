package io.spikestream.neural;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Argument checks with the message grammar of Inferno's {@code argtest}: each check returns the
 * value it accepted, so checking and assigning are one line, and every failure is an {@link
 * IllegalArgumentException} whose message names the argument and the bad value the way the
 * reference prints it ({@code 'step_time' of 0.0 must be positive}).
 */
public final class Checks {

  private Checks() {}

  /**
   * Checks that a floating-point value is greater than zero; NaN fails.
   *
   * @param name the argument's display name, for example {@code step_time}
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' of value must be positive}
   */
  public static double positive(String name, double value) {
    if (!(value > 0.0)) {
      throw new IllegalArgumentException("'" + name + "' of " + repr(value) + " must be positive");
    }
    return value;
  }

  /**
   * Checks that an integer value is greater than zero.
   *
   * @param name the argument's display name, for example {@code batch_size}
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' of value must be positive}
   */
  public static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("'" + name + "' of " + value + " must be positive");
    }
    return value;
  }

  /**
   * Checks that a floating-point value is zero or greater; NaN fails.
   *
   * @param name the argument's display name, for example {@code refrac_t}
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' of value must be nonnegative}
   */
  public static double nonnegative(String name, double value) {
    if (!(value >= 0.0)) {
      throw new IllegalArgumentException(
          "'" + name + "' of " + repr(value) + " must be nonnegative");
    }
    return value;
  }

  /**
   * Checks that an integer value is zero or greater.
   *
   * @param name the argument's display name, for example {@code steps}
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' of value must be nonnegative}
   */
  public static long nonnegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("'" + name + "' of " + value + " must be nonnegative");
    }
    return value;
  }

  /**
   * Checks that a floating-point value is a number, not NaN; infinities pass.
   *
   * @param name the argument's display name, for example {@code spike_increment[0]}
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' of nan must be a number}
   */
  public static double number(String name, double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("'" + name + "' of nan must be a number");
    }
    return value;
  }

  /**
   * Checks that a floating-point value is a number other than zero (-0.0 is zero). The reference
   * lets NaN through this check; here it fails, as a number must.
   *
   * @param name the argument's display name, for example {@code resistance}
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' of 0.0 must be nonzero}, or {@code 'name' of nan
   *     must be a number}
   */
  public static double nonzero(String name, double value) {
    number(name, value);
    if (value == 0.0) {
      throw new IllegalArgumentException("'" + name + "' of " + repr(value) + " must be nonzero");
    }
    return value;
  }

  /**
   * Checks that one value is less than another named value; NaN on either side fails.
   *
   * @param name the checked argument's display name, for example {@code rest_v}
   * @param value the value to check
   * @param limitName the limit's display name, for example {@code thresh_v}
   * @param limit the exclusive upper bound
   * @return {@code value}
   * @throws IllegalArgumentException {@code 'name' (value) must be less than 'limitName' (limit)}
   */
  public static double lessThan(String name, double value, String limitName, double limit) {
    if (!(value < limit)) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' ("
              + repr(value)
              + ") must be less than '"
              + limitName
              + "' ("
              + repr(limit)
              + ")");
    }
    return value;
  }

  /**
   * Formats a shape as a Python tuple, the way the reference prints shapes: {@code (3, 4)}, {@code
   * (3,)}, {@code ()}.
   *
   * @param shape the dimensions
   * @return the tuple text
   */
  public static String tuple(long[] shape) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(shape[i]);
    }
    return text.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /**
   * Formats a double as Python's {@code repr(float)} does, so that messages and {@code toString}
   * read as the reference's: {@code 0.0}, {@code -40.0}, {@code 1e-05}, {@code 1e+16}, {@code nan},
   * {@code inf}.
   *
   * @param value any double
   * @return its Python text
   */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0.0) {
      return (Double.doubleToRawLongBits(value) < 0) ? "-0.0" : "0.0";
    }
    String sign = value < 0 ? "-" : "";
    BigDecimal shortest = shortestRoundTrip(Math.abs(value));
    String digits = shortest.unscaledValue().toString();
    // value = 0.digits * 10^point, as Python's float_repr_style counts it
    int point = digits.length() - shortest.scale();
    if (point <= -4 || point > 16) {
      int exponent = point - 1;
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String exp = String.format("%02d", Math.abs(exponent));
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
    if (point <= 0) {
      return sign + "0." + "0".repeat(-point) + digits;
    }
    if (point >= digits.length()) {
      return sign + digits + "0".repeat(point - digits.length()) + ".0";
    }
    return sign + digits.substring(0, point) + "." + digits.substring(point);
  }

  /** The decimal with the fewest significant digits that reads back as {@code value}. */
  private static BigDecimal shortestRoundTrip(double value) {
    // Java 17's Double.toString is not always shortest (4.9E-324 where Python prints 5e-324)
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == value) {
        return candidate.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }
}
