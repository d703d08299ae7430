package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksTest {

  /** Expected texts are what CPython 3.11 prints for repr(float(x)). */
  @ParameterizedTest
  @CsvSource({
    "0.0, 0.0",
    "-0.0, -0.0",
    "1.0, 1.0",
    "-40.0, -40.0",
    "0.5, 0.5",
    "0.1, 0.1",
    "1234.5, 1234.5",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "0.000015, 1.5e-05",
    "1e15, 1000000000000000.0",
    "1e16, 1e+16",
    "1.5e16, 1.5e+16",
    "1e22, 1e+22",
    "123456789.125, 123456789.125",
    "4.9e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "NaN, nan",
    "Infinity, inf",
    "-Infinity, -inf",
  })
  void reprMatchesPython(double value, String python) {
    assertEquals(python, Checks.repr(value));
  }

  @Test
  void tupleMatchesPython() {
    assertEquals("()", Checks.tuple(new long[0]));
    assertEquals("(3,)", Checks.tuple(new long[] {3}));
    assertEquals("(3, 4)", Checks.tuple(new long[] {3, 4}));
  }

  @Test
  void positiveRejectsZeroNegativeAndNaN() {
    assertEquals(
        "'step_time' of 0.0 must be positive",
        assertThrows(IllegalArgumentException.class, () -> Checks.positive("step_time", 0.0))
            .getMessage());
    assertEquals(
        "'dt' of nan must be positive",
        assertThrows(IllegalArgumentException.class, () -> Checks.positive("dt", Double.NaN))
            .getMessage());
    assertEquals(
        "'batchsz' of -3 must be positive",
        assertThrows(IllegalArgumentException.class, () -> Checks.positive("batchsz", -3L))
            .getMessage());
    assertEquals(2.5, Checks.positive("x", 2.5));
    assertEquals(7L, Checks.positive("x", 7L));
  }

  @Test
  void lessThanNamesBothSides() {
    assertEquals(
        "'rest_v' (-50.0) must be less than 'thresh_v' (-50.0)",
        assertThrows(
                IllegalArgumentException.class,
                () -> Checks.lessThan("rest_v", -50.0, "thresh_v", -50.0))
            .getMessage());
    assertEquals(-60.0, Checks.lessThan("rest_v", -60.0, "thresh_v", -50.0));
  }
}
