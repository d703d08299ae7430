package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactExpTest {

  @Test
  void specialValues() {
    assertEquals(1.0, ExactExp.exp(0.0));
    assertEquals(1.0, ExactExp.exp(-0.0));
    assertEquals(0.0, ExactExp.exp(Double.NEGATIVE_INFINITY));
    assertEquals(Double.POSITIVE_INFINITY, ExactExp.exp(1000));
    assertTrue(Double.isNaN(ExactExp.exp(Double.NaN)));
    assertEquals(Double.MIN_VALUE, ExactExp.exp(-744.5));
    assertEquals(1f, ExactExp.expf(-0f));
    assertEquals(0f, ExactExp.expf(-200f));
    assertEquals(Float.MIN_VALUE, ExactExp.expf(-103.5f));
    // e^-1 and e^-0.05 to the nearest double, from their decimal expansions
    assertEquals(0.36787944117144233, ExactExp.exp(-1));
    assertEquals(0.951229424500714, ExactExp.exp(-0.05));
  }

  @Test
  void withinHalfAnUlpOfStrictMathsOneUlpResult() {
    Random random = new Random(RandomHyper.BASE_SEED);
    int differ = 0;
    for (int i = 0; i < 20_000; i++) {
      double x = -30 * random.nextDouble();
      double exact = ExactExp.exp(x);
      double strict = StrictMath.exp(x);
      assertTrue(Math.abs(exact - strict) <= Math.ulp(exact), () -> "exp(" + x + ")");
      differ += exact == strict ? 0 : 1;
      float xf = (float) x;
      float single = ExactExp.expf(xf);
      float viaDouble = (float) ExactExp.exp(xf);
      // double rounding could differ only within 2^-29 of a float32 midpoint
      assertEquals(viaDouble, single, () -> "expf(" + xf + ")");
    }
    System.out.println(
        "StrictMath.exp differs from the correctly rounded exp for " + differ + " of 20000 inputs");
  }
}
