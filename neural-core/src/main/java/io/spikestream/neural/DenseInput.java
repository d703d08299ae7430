package io.spikestream.neural;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * A dense input as float32 values in c-order, read straight from a float32 c-ordered array's
 * memory, or from a float32 copy of any other array (rounding wider or integer values to float32
 * once, as a float32 model takes its input).
 */
final class DenseInput {

  /** The array read; kept reachable so that its native memory outlives the reads. */
  final INDArray array;

  /** Its memory, little-endian: float i at byte 4i. */
  final ByteBuffer bytes;

  private DenseInput(INDArray array) {
    this.array = array;
    this.bytes = array.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * @param inputs a numeric or BOOL array, already checked
   * @return its values as float32, c-ordered
   */
  static DenseInput of(INDArray inputs) {
    if (inputs.dataType() == DataType.FLOAT
        && inputs.ordering() == 'c'
        && !inputs.isView()
        && Shape.hasDefaultStridesForShape(inputs)) {
      return new DenseInput(inputs);
    }
    return new DenseInput(inputs.castTo(DataType.FLOAT).dup('c'));
  }

  /**
   * @param i a flat c-order index
   * @return the value there, float32
   */
  float get(int i) {
    return bytes.getFloat(i << 2);
  }
}
