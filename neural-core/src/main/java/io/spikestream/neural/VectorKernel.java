package io.spikestream.neural;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense steps of {@link LinearKernel#lifDense} and {@link LinearKernel#alifDenseOne} on JDK's
 * Vector API, eight neurons at a time: lane for lane the same float32 operations in the same order
 * (IEEE sums and products are commutative, so {@code a + b} may be written {@code b.add(a)}), the
 * selects as blends, the eight spike bytes and the eight doubt bytes each as one store. JDK 17's C2
 * does not vectorize the scalar loops (their selects stay scalar conditional moves); this form runs
 * them at about 4 times their speed at 1e7 neurons (docs/neuron-benchmarks.md). Where two NaN
 * operands meet, it may keep the other one than the scalar loop does, as IEEE 754 allows: a NaN
 * stays a NaN, its payload is not part of the state ({@link NeuronSnapshot}).
 *
 * <p>Load this class only where {@link VectorSupport#ENABLED} holds: it needs the {@code
 * jdk.incubator.vector} module. Each method steps whole groups of eight from {@code from} and
 * returns where it stopped; the scalar loop steps the rest.
 */
final class VectorKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

  private static final int LANES = 8;

  /** The float whose raw bits are the int 1 (a subnormal), blended in where a lane is set. */
  private static final float ONE_BITS = Float.intBitsToFloat(1);

  /** Eight byte lanes, for the spike or doubt bytes of eight neurons. */
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;

  private VectorKernel() {}

  /** Whether the hardware has 256-bit vectors, so the lanes are not emulated. */
  static boolean supported() {
    return SPECIES.length() == LANES
        && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize();
  }

  /**
   * {@link LinearKernel#lifDense} for neurons [from, from + 8k), the largest such range within
   * [from, to).
   *
   * @return from + 8k, the first neuron not stepped
   */
  static int lif(
      float[] v,
      float[] r,
      ByteBuffer in,
      ByteBuffer out,
      int from,
      int to,
      DenseStep c,
      byte[] doubt) {
    float dt = c.dt();
    float rest = c.rest();
    float decay = c.decay();
    float ohms = c.ohms();
    float thresh = c.thresh();
    float reset = c.reset();
    float refracPeriod = c.refracPeriod();
    float limit = c.coldLimit();
    int i = from;
    for (; i <= to - LANES; i += LANES) {
      FloatVector left = FloatVector.fromArray(SPECIES, r, i).sub(dt);
      left = left.blend(0f, left.lt(0f));
      FloatVector vi = FloatVector.fromArray(SPECIES, v, i);
      FloatVector ext =
          FloatVector.fromByteBuffer(SPECIES, in, i << 2, ByteOrder.LITTLE_ENDIAN).mul(ohms);
      FloatVector next = vi.sub(rest).sub(ext).mul(decay).add(rest).add(ext);
      VectorMask<Float> open = left.eq(0f);
      VectorMask<Float> spike = open.and(next.compare(VectorOperators.GE, thresh));
      FloatVector updated = vi.blend(next, open).blend(reset, spike);
      updated.intoArray(v, i);
      left.blend(refracPeriod, spike).intoArray(r, i);
      storeSpikes(out, i, spike);
      asBytes(updated.compare(VectorOperators.LE, limit).not()).intoArray(doubt, i);
    }
    return i;
  }

  /**
   * {@link LinearKernel#alifDenseOne} for positions [from, from + 8k), the largest such range
   * within [from, to).
   *
   * @return from + 8k, the first position not stepped
   */
  static int alifOne(
      float[] v,
      float[] r,
      float[] a,
      ByteBuffer in,
      ByteBuffer out,
      int from,
      int to,
      DenseStep c,
      byte[] doubt) {
    float dt = c.dt();
    float rest = c.rest();
    float decay = c.decay();
    float ohms = c.ohms();
    float threshEq = c.thresh();
    float reset = c.reset();
    float refracPeriod = c.refracPeriod();
    float limit = c.coldLimit();
    float adaptDecay = c.adaptDecay();
    float increment = c.increment();
    FloatVector zero = FloatVector.zero(SPECIES);
    int p = from;
    for (; p <= to - LANES; p += LANES) {
      FloatVector ap = FloatVector.fromArray(SPECIES, a, p);
      FloatVector theta = ap.add(0f).add(threshEq);
      FloatVector left = FloatVector.fromArray(SPECIES, r, p).sub(dt);
      left = left.blend(0f, left.lt(0f));
      FloatVector vi = FloatVector.fromArray(SPECIES, v, p);
      FloatVector ext =
          FloatVector.fromByteBuffer(SPECIES, in, p << 2, ByteOrder.LITTLE_ENDIAN).mul(ohms);
      FloatVector next = vi.sub(rest).sub(ext).mul(decay).add(rest).add(ext);
      VectorMask<Float> open = left.eq(0f);
      VectorMask<Float> spike = open.and(next.compare(VectorOperators.GE, theta));
      FloatVector updated = vi.blend(next, open).blend(reset, spike);
      FloatVector after = left.blend(refracPeriod, spike);
      updated.intoArray(v, p);
      after.intoArray(r, p);
      storeSpikes(out, p, spike);
      FloatVector na =
          ap.mul(adaptDecay)
              .blend(ap, after.compare(VectorOperators.GT, 0f))
              .add(zero.blend(1f, spike).mul(increment))
              .add(0f);
      na.intoArray(a, p);
      VectorMask<Float> cold =
          updated.compare(VectorOperators.LE, limit).and(na.compare(VectorOperators.GE, 0f));
      asBytes(cold.not()).intoArray(doubt, p);
    }
    return p;
  }

  /** Writes the eight spike bytes of neurons [i, i + 8). */
  private static void storeSpikes(ByteBuffer out, int i, VectorMask<Float> spike) {
    asBytes(spike).intoByteBuffer(out, i, ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The lanes of a mask as bytes, 1 where set: a blend of the float whose bits are the int 1, read
   * as ints, narrowed to bytes. JDK 17 compiles these to vector instructions, while {@code
   * VectorMask.toLong} still runs in Java there, at several times the cost of a neuron; and {@code
   * VectorMask.toVector} is not used, since its lanes read -1.0f in the interpreter but all ones
   * when compiled.
   */
  private static ByteVector asBytes(VectorMask<Float> lanes) {
    return FloatVector.zero(SPECIES)
        .blend(ONE_BITS, lanes)
        .reinterpretAsInts()
        .castShape(BYTES, 0)
        .reinterpretAsBytes();
  }
}
