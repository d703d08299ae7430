package io.spikestream.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * PyTorch's summation orders on values where the order shows: 1e8 + 1 rounds back to 1e8 in
 * float32, so adding the small values before the large ones cancel keeps them. (The orders
 * themselves were measured against PyTorch 1.13.1; see {@link TorchSum}.)
 */
class TorchSumTest {

  private static final float BIG = 1e8f;

  @Test
  void aBatchOfFiveInterleavesUnlessItsColumnIsInABlock() {
    float[] x = {BIG, 1, 1, 1, -BIG};
    // row_sum: ((x0 + x4) + x1) + x2) + x3
    assertEquals(3f, TorchSum.batchColumn(x, 5, 2, 3));
    assertEquals(3f, TorchSum.batchColumn(x, 5, 4, 5));
    // M = 4: columns 0..3 are one block of multi_row_sum, in batch order
    assertEquals(0f, TorchSum.batchColumn(x, 5, 3, 4));
    // M >= 8: blocks of 32 columns in batch order, the rest interleaved
    assertEquals(0f, TorchSum.batchColumn(x, 5, 31, 40));
    assertEquals(3f, TorchSum.batchColumn(x, 5, 32, 40));
    // M = 1 is a contiguous reduction: row_sum below 8 values
    assertEquals(3f, TorchSum.batchColumn(x, 5, 0, 1));
  }

  @Test
  void fourOrFewerAreInOrder() {
    float[] x = {BIG, 1, 1, -BIG};
    assertEquals(0f, TorchSum.batchColumn(x, 4, 0, 1));
    assertEquals(0f, TorchSum.inner(x, 0, 4));
  }

  @Test
  void eightOrMoreContiguousValuesAddTheLeftoversThenTheLanes() {
    float[] x = {BIG, 1, 1, 1, 1, 1, 1, 1, -BIG};
    // 0 + x8, then lanes x0..x7: -1e8 + 1e8 first, then the seven ones
    assertEquals(7f, TorchSum.inner(x, 0, 9));
    float[] shifted = new float[12];
    System.arraycopy(x, 0, shifted, 3, 9);
    assertEquals(7f, TorchSum.inner(shifted, 3, 9));
  }

  @Test
  void blocksOfSixteenFoldIntoTheNextLevel() {
    float[] x = new float[17];
    x[0] = BIG;
    for (int i = 1; i < 16; i++) {
      x[i] = 1;
    }
    x[16] = -BIG;
    // the first 16 values sum into level 1 (1e8, the ones lost), then x16 alone, then the levels
    assertEquals(0f, TorchSum.cascade(x, 0, 1, 17));
    float[] y = x.clone();
    y[0] = 1;
    y[15] = BIG;
    // 1 * 15 then 1e8: 1e8 + 15 rounds to 1e8 + 16; minus 1e8
    assertEquals(16f, TorchSum.cascade(y, 0, 1, 17));
    assertEquals(1, TorchSum.ceilLog2(2));
    assertEquals(5, TorchSum.ceilLog2(17));
  }
}
