package io.spikestream.neural;

import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseScalarBoolOp;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThan;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarNotEquals;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The elementwise comparisons of a spiking step, written into one preallocated BOOL array.
 *
 * <p>ND4J's cost per call is dominated by building the op (about 10 µs), not by the elements, so
 * this keeps one native op per comparison and input data type and only rebinds its input: a step of
 * 100 neurons then costs well under a microsecond and allocates nothing. The op's scalar must have
 * the input's data type, hence one op per type.
 */
final class SpikeKernel {

  private final INDArray out;
  private final Map<DataType, BaseScalarBoolOp> positiveOps = new EnumMap<>(DataType.class);
  private final Map<DataType, BaseScalarBoolOp> nonzeroOps = new EnumMap<>(DataType.class);

  /**
   * @param out the BOOL array every comparison writes, c-ordered
   */
  SpikeKernel(INDArray out) {
    this.out = out;
  }

  /** Writes {@code x > 0} into the output: NaN, 0 and -0.0 are false, +Inf and denormals true. */
  void positive(INDArray x) {
    if (x.dataType() == DataType.BOOL) {
      out.assign(x);
      return;
    }
    exec(positiveOps.computeIfAbsent(x.dataType(), type -> new ScalarGreaterThan(x, out, 0)), x);
  }

  /** Writes {@code x != 0} into the output: NaN is true, 0 and -0.0 are false. */
  void nonzero(INDArray x) {
    if (x.dataType() == DataType.BOOL) {
      out.assign(x);
      return;
    }
    exec(nonzeroOps.computeIfAbsent(x.dataType(), type -> new ScalarNotEquals(x, out, 0)), x);
  }

  private static void exec(BaseScalarBoolOp op, INDArray x) {
    op.setX(x);
    Nd4j.getExecutioner().exec(op);
  }

  /**
   * Checks that an array holds numbers or booleans that the comparisons accept.
   *
   * @param name the argument's display name
   * @param x the array
   * @throws IllegalArgumentException naming the argument and its data type
   */
  static void requireNumeric(String name, INDArray x) {
    DataType type = x.dataType();
    if (!(type.isNumerical() || type == DataType.BOOL)) {
      throw new IllegalArgumentException(
          "'" + name + "' of data type " + type + " must be numeric or BOOL");
    }
  }
}
