package io.spikestream.job.event;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that a line is formatted into as UTF-8, then written to a stream in one
 * call: for output lines written at a high rate (a camera's spike records hold thousands of
 * indices), without a string, its copy into bytes and the stream's per-call locking.
 *
 * <p>Not thread-safe; one per writer.
 */
public final class LineBuffer {

  /** 10^k for k = 0 to 9: an int of k + 1 digits is at least {@code POWERS_OF_TEN[k]}. */
  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** The tens and ones digit of 0 to 99, as ASCII. */
  private static final byte[] TENS = new byte[100];

  private static final byte[] ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = (byte) ('0' + i / 10);
      ONES[i] = (byte) ('0' + i % 10);
    }
  }

  private byte[] bytes = new byte[1 << 12];
  private int length;

  /** Empties the buffer for the next line. */
  public void clear() {
    length = 0;
  }

  /**
   * Appends one ASCII character.
   *
   * @param c a character below 128
   * @return this buffer
   */
  public LineBuffer append(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /**
   * Appends text as UTF-8.
   *
   * @param text the text
   * @return this buffer
   */
  public LineBuffer append(String text) {
    // ASCII, as the records' keys and numbers are, byte by byte without an array per call
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // the chars before are ASCII, so no surrogate pair is split here
        byte[] utf8 = text.substring(i).getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
      }
      bytes[length++] = (byte) c;
    }
    return this;
  }

  /**
   * Appends text that is its own JSON string body (printable ASCII, no quote or backslash), in one
   * pass that both checks and copies it: the text's memory is read once per line.
   *
   * @param text the text
   * @return true if appended; false, with the buffer unchanged, if some character would need
   *     escaping or is not ASCII
   */
  public boolean appendPlainJson(String text) {
    int n = text.length();
    ensure(n);
    int start = length;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        length = start;
        return false;
      }
      bytes[start + i] = (byte) c;
    }
    length = start + n;
    return true;
  }

  /**
   * Appends a number's decimal digits, as {@link Long#toString} writes them.
   *
   * @param value the number
   * @return this buffer
   */
  public LineBuffer append(long value) {
    ensure(20);
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return append(Long.toString(value));
      }
      bytes[length++] = '-';
      value = -value;
    }
    if (value <= Integer.MAX_VALUE) {
      // a 32-bit division is several times faster than a 64-bit one, and steps, times and
      // indices almost always fit
      return appendDigits((int) value);
    }
    int digits = 1;
    for (long rest = value / 10; rest != 0; rest /= 10) {
      digits++;
    }
    int at = length + digits;
    do {
      bytes[--at] = (byte) ('0' + (value % 10));
      value /= 10;
    } while (value != 0);
    length += digits;
    return this;
  }

  /**
   * Two digits per division, and the count of digits by comparisons: each division waits for the
   * one before it, so halving them halves the time of a number.
   */
  private LineBuffer appendDigits(int value) {
    int digits = 1;
    while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
      digits++;
    }
    int at = length + digits;
    while (value >= 100) {
      int quotient = value / 100;
      int pair = value - 100 * quotient;
      bytes[--at] = ONES[pair];
      bytes[--at] = TENS[pair];
      value = quotient;
    }
    if (value >= 10) {
      bytes[--at] = ONES[value];
      bytes[--at] = TENS[value];
    } else {
      bytes[--at] = (byte) ('0' + value);
    }
    length += digits;
    return this;
  }

  /**
   * Writes the buffered line to a stream.
   *
   * @param out the stream
   * @throws IOException if the stream fails
   */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, length);
  }

  /**
   * The length of the buffered line.
   *
   * @return its bytes
   */
  public int length() {
    return length;
  }

  /**
   * The buffered bytes, for tests.
   *
   * @return a copy
   */
  public byte[] toBytes() {
    return Arrays.copyOf(bytes, length);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
    }
  }
}
