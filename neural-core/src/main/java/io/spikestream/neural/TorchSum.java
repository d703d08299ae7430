package io.spikestream.neural;

/**
 * Float32 sums in the order PyTorch 1.13 adds on the CPU ({@code cascade_sum} in ATen's {@code
 * SumKernel.cpp}, AVX2 dispatch: 8 float lanes), so that reductions the reference makes come out
 * bit for bit: ALIF's {@code torch.sum(adaptations, dim=-1)} for the threshold and {@code
 * torch.mean(updates, 0)} over the batch.
 *
 * <p>PyTorch does not add in index order. A run of values goes through {@code multi_row_sum}: four
 * accumulator levels, the first taking blocks of 16 values (2<sup>max(4, ceil(log2 n) / 4)</sup>),
 * each full block folded into the next level. {@code row_sum} interleaves a row over four such
 * accumulators (values 4i+k into accumulator k), adds the leftover values to the first and then the
 * other three to it. A contiguous reduction of 8 or more values runs {@code row_sum} over 8-float
 * vectors and adds the leftover scalars, then the 8 lanes. A reduction over the outer dimension of
 * {@code [B, M]} sums blocks of columns (32 columns when M >= 8, 4 when 1 < M < 8) with {@code
 * multi_row_sum} and the remaining columns with {@code row_sum}; M = 1 is a contiguous reduction.
 * The output starts at 0 and the sum is added to it. Measured against PyTorch 1.13.1 (Debian) for B
 * up to 257, M up to 37037 and K up to 39, one and two threads, with no difference; a build that
 * dispatches AVX-512 kernels (16 lanes) would order sums of 16 or more values differently.
 */
final class TorchSum {

  /** Float lanes of one AVX2 vector. */
  static final int LANES = 8;

  private TorchSum() {}

  /** {@code multi_row_sum} for one lane: {@code size} values at {@code x[offset + i * stride]}. */
  static float cascade(float[] x, int offset, int stride, int size) {
    int levelPower = Math.max(4, ceilLog2(size) / 4);
    int levelStep = 1 << levelPower;
    int levelMask = levelStep - 1;
    float a0 = 0f;
    float a1 = 0f;
    float a2 = 0f;
    float a3 = 0f;
    int i = 0;
    int at = offset;
    while (i + levelStep <= size) {
      for (int j = 0; j < levelStep; j++, i++, at += stride) {
        a0 += x[at];
      }
      a1 += a0;
      a0 = 0f;
      if ((i & (levelMask << levelPower)) != 0) {
        continue;
      }
      a2 += a1;
      a1 = 0f;
      if ((i & (levelMask << (2 * levelPower))) != 0) {
        continue;
      }
      a3 += a2;
      a2 = 0f;
    }
    for (; i < size; i++, at += stride) {
      a0 += x[at];
    }
    a0 += a1;
    a0 += a2;
    a0 += a3;
    return a0;
  }

  /** {@code row_sum}: four interleaved cascades, then the leftovers and the other three. */
  static float rowSum(float[] x, int offset, int stride, int size) {
    int quarter = size / 4;
    float p0 = cascade(x, offset, 4 * stride, quarter);
    float p1 = cascade(x, offset + stride, 4 * stride, quarter);
    float p2 = cascade(x, offset + 2 * stride, 4 * stride, quarter);
    float p3 = cascade(x, offset + 3 * stride, 4 * stride, quarter);
    for (int i = 4 * quarter; i < size; i++) {
      p0 += x[offset + i * stride];
    }
    p0 += p1;
    p0 += p2;
    p0 += p3;
    return p0;
  }

  /**
   * A contiguous reduction of {@code size} values from {@code x[offset]}, as {@code sum(dim=-1)}
   * adds each row, the output's initial 0 included.
   *
   * @return the float32 sum
   */
  static float inner(float[] x, int offset, int size) {
    if (size < LANES) {
      return 0f + rowSum(x, offset, 1, size);
    }
    int vectors = size / LANES;
    float sum = 0f;
    for (int i = vectors * LANES; i < size; i++) {
      sum += x[offset + i];
    }
    for (int lane = 0; lane < LANES; lane++) {
      sum += rowSum(x, offset + lane, LANES, vectors);
    }
    return 0f + sum;
  }

  /**
   * One column of a reduction over the batch: {@code sum(updates, 0)} of a contiguous {@code [B,
   * M]} tensor at column {@code column}, the output's initial 0 included.
   *
   * @param x the column's B values in batch order, from index 0
   * @param batch B, >= 1
   * @param column the column, 0 <= column < columns
   * @param columns M, the product of the non-batch dimensions
   * @return the float32 sum
   */
  static float batchColumn(float[] x, int batch, int column, int columns) {
    if (columns == 1) {
      return inner(x, 0, batch);
    }
    int blocked = columns < LANES ? 4 * (columns / 4) : 4 * LANES * (columns / (4 * LANES));
    return 0f + (column < blocked ? cascade(x, 0, 1, batch) : rowSum(x, 0, 1, batch));
  }

  static int ceilLog2(int x) {
    return x <= 2 ? 1 : 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
