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

  /** The most currents a dense step reads: float i sits at byte 4i of one Java buffer. */
  static final long MAX_CURRENTS = Integer.MAX_VALUE / Float.BYTES;

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
   * @throws IllegalArgumentException if it holds more than {@link #MAX_CURRENTS} values
   */
  static DenseInput of(INDArray inputs) {
    requireAddressable(inputs.length());
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
  /**
   * @param currents the values of a dense input
   * @throws IllegalArgumentException if a dense step cannot read that many
   */
  static void requireAddressable(long currents) {
    if (currents > MAX_CURRENTS) {
      throw new IllegalArgumentException(
          "a dense step reads at most "
              + MAX_CURRENTS
              + " float32 currents (2 GiB), got "
              + currents
              + "; step a group this large with forwardSparse");
    }
  }

  float get(int i) {
    return bytes.getFloat(i << 2);
  }
}
