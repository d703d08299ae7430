package io.spikestream.neural;

import org.slf4j.LoggerFactory;

/**
 * Whether the dense steps of LIF and ALIF run through {@link VectorKernel}, eight neurons per
 * instruction, or through the scalar loops of {@link LinearKernel} alone. Both give the same bits.
 *
 * <p>The vector form needs JDK 17's incubating Vector API, which a JVM resolves only when started
 * with {@code --add-modules=jdk.incubator.vector}, and 256-bit vectors in hardware (AVX2 or AVX-512
 * on x86-64): without them the API would emulate the lanes, slower than the scalar loop. The system
 * property {@code spikestream.vector=false} turns it off. This class names no Vector API type, so
 * that it loads on any JVM.
 */
final class VectorSupport {

  /** The system property that turns the vector form off when set to {@code false}. */
  static final String PROPERTY = "spikestream.vector";

  /** Why the scalar loop runs in this JVM, or null where {@link VectorKernel} does. */
  private static final String SCALAR_REASON = scalarReason();

  /** Whether {@link VectorKernel} runs the dense steps in this JVM. */
  static final boolean ENABLED = SCALAR_REASON == null;

  static {
    LoggerFactory.getLogger(VectorSupport.class).info(describe());
  }

  private VectorSupport() {}

  private static String scalarReason() {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
      return "-D" + PROPERTY + "=false";
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "start the JVM with --add-modules=jdk.incubator.vector for the vector form, about 4x"
          + " faster at 1e7 neurons";
    }
    try {
      return VectorKernel.supported() ? null : "no 256-bit vectors on this CPU";
    } catch (LinkageError e) {
      return "the Vector API did not load: " + e;
    }
  }

  /**
   * @return one line on how this JVM runs the dense steps, for start-up logs
   */
  static String describe() {
    return ENABLED
        ? "LIF/ALIF dense steps: Vector API, 8 float32 lanes"
        : "LIF/ALIF dense steps: scalar (" + SCALAR_REASON + ")";
  }
}
