package io.spikestream.job.io.camera;

import java.nio.charset.StandardCharsets;

/**
 * Recognises the first bytes of the other formats, so that a header check can say what a file is
 * when it is not what was declared ("it is an AEDAT 4.0 file").
 */
public final class Magic {

  private static final byte[] AEDAT = "#!AER-DAT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NUMPY = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private Magic() {}

  /**
   * Names the file kind that {@code head} starts with, if it is one of the binary kinds with a
   * magic number (AEDAT of any version, NumPy {@code .npy}).
   *
   * @param head the first bytes of a file
   * @param length how many are valid
   * @return e.g. {@code "it is an AEDAT 4.0 file"}, or null if no known magic number is there
   */
  public static String describe(byte[] head, int length) {
    if (startsWith(head, length, AEDAT)) {
      int end = AEDAT.length;
      while (end < length && end < 16 && head[end] != '\r' && head[end] != '\n') {
        end++;
      }
      String version =
          new String(head, AEDAT.length, end - AEDAT.length, StandardCharsets.US_ASCII);
      return "it is an AEDAT " + version + " file";
    }
    if (startsWith(head, length, NUMPY)) {
      return "it is a NumPy .npy file";
    }
    return null;
  }

  /**
   * Whether {@code head[0, length)} starts with {@code prefix}.
   *
   * @param head bytes to test
   * @param length how many are valid
   * @param prefix the expected first bytes
   * @return true if all of {@code prefix} is there
   */
  public static boolean startsWith(byte[] head, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (head[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
