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

  /** Whether {@link VectorKernel} runs the dense steps in this JVM. */
  static final boolean ENABLED = detect();

  private VectorSupport() {}

  private static boolean detect() {
    boolean enabled = vectorUsable();
    LoggerFactory.getLogger(VectorSupport.class).info(describe(enabled));
    return enabled;
  }

  private static boolean vectorUsable() {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorKernel.supported();
    } catch (LinkageError e) {
      return false;
    }
  }

  /**
   * @return one line on how this JVM runs the dense steps, for start-up logs
   */
  static String describe() {
    return describe(ENABLED);
  }

  private static String describe(boolean enabled) {
    if (enabled) {
      return "LIF/ALIF dense steps: Vector API, 8 float32 lanes";
    }
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
      return "LIF/ALIF dense steps: scalar (-D" + PROPERTY + "=false)";
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "LIF/ALIF dense steps: scalar (start the JVM with"
          + " --add-modules=jdk.incubator.vector for the vector form, about 4x faster at 1e7"
          + " neurons)";
    }
    return "LIF/ALIF dense steps: scalar (no 256-bit vectors on this CPU)";
  }
}
