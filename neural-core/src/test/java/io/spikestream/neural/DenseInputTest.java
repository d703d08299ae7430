package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Dense inputs: read in place or converted once, and refused past what one buffer addresses. */
class DenseInputTest {

  @Test
  void moreCurrentsThanOneBufferAddressesAreRefusedByName() {
    assertDoesNotThrow(() -> DenseInput.requireAddressable(DenseInput.MAX_CURRENTS));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DenseInput.requireAddressable(DenseInput.MAX_CURRENTS + 1));
    assertEquals(
        "a dense step reads at most 536870911 float32 currents (2 GiB), got 536870912;"
            + " step a group this large with forwardSparse",
        e.getMessage());
  }

  @Test
  void float32InputsAreReadInPlaceAndOthersRoundedOnce() {
    var floats = Nd4j.create(new float[] {1.5f, -0f, Float.NaN}, new long[] {1, 3}, 'c');
    assertSame(floats, DenseInput.of(floats).array);
    var doubles = Nd4j.createFromArray(new double[] {0.1, 1e300, -2}).reshape(1, 3);
    DenseInput in = DenseInput.of(doubles);
    assertEquals(DataType.FLOAT, in.array.dataType());
    assertEquals(0.1f, in.get(0));
    assertEquals(Float.POSITIVE_INFINITY, in.get(1));
    assertEquals(-2f, in.get(2));
  }
}
