package io.spikestream.job.io.camera;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ASCII header of a Prophesee file ({@code .raw} in EVT 2.0 or EVT 3.0, and {@code .dat}):
 * lines that start with {@code %}, each ended by a line feed. The binary data starts right after
 * the line feed of the last such line, or after a {@code % end} line, which newer recordings write
 * so that a first data byte of 0x25 ({@code %}) is not taken for a header line.
 *
 * <p>Keys read: {@code % evt 3.0} (the encoding, older recordings), {@code % format
 * EVT3;height=720;width=1280} (newer ones), {@code % geometry 1280x720}, and DAT's {@code % Width
 * 640}, {@code % Height 480} and {@code % Data file containing CD events}. Older recordings carry
 * no geometry.
 */
public final class PropheseeHeader {

  /** Most header bytes accepted; a longer run of {@code %} lines is not a Prophesee header. */
  public static final int MAX_BYTES = 64 * 1024;

  private final List<String> lines;
  private final int byteLength;

  private PropheseeHeader(List<String> lines, int byteLength) {
    this.lines = List.copyOf(lines);
    this.byteLength = byteLength;
  }

  /**
   * Parses the header at the start of {@code bytes[0, length)}.
   *
   * @param bytes the first bytes of a file
   * @param length how many of them are valid; 0 &le; length &le; bytes.length
   * @param endOfFile whether {@code length} bytes are the whole file (then a last header line
   *     without line feed still counts)
   * @return the header (possibly empty), or null if the bytes end inside a header line that could
   *     still continue, or the header runs past {@link #MAX_BYTES}
   */
  public static PropheseeHeader parse(byte[] bytes, int length, boolean endOfFile) {
    return scan(bytes, length, endOfFile, MAX_BYTES);
  }

  private static PropheseeHeader scan(byte[] bytes, int length, boolean endOfFile, int limit) {
    List<String> lines = new ArrayList<>();
    int i = 0;
    while (i < length) {
      if (bytes[i] != '%') {
        return new PropheseeHeader(lines, i);
      }
      int lineEnd = i;
      while (lineEnd < length && bytes[lineEnd] != '\n') {
        lineEnd++;
      }
      if (lineEnd >= limit || (lineEnd == length && !endOfFile)) {
        return null;
      }
      String line = lineText(bytes, i, lineEnd);
      lines.add(line);
      i = Math.min(lineEnd + 1, length);
      if (line.equals("end")) {
        return new PropheseeHeader(lines, i);
      }
    }
    return endOfFile ? new PropheseeHeader(lines, i) : null;
  }

  private static String lineText(byte[] bytes, int start, int lineEnd) {
    int from = start + 1;
    int to = lineEnd;
    if (to > from && bytes[to - 1] == '\r') {
      to--;
    }
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1).trim();
  }

  /**
   * Number of header bytes, 0 when the file has no header; the data starts at this offset.
   *
   * @return header length in bytes
   */
  public int byteLength() {
    return byteLength;
  }

  /**
   * The header lines without their {@code %} and surrounding blanks, in file order.
   *
   * @return the lines; empty when there is no header
   */
  public List<String> lines() {
    return lines;
  }

  /**
   * The value of the first line {@code % key value} (key compared ignoring case), or null.
   *
   * @param key the keyword, e.g. {@code "evt"}
   * @return the rest of the line after the keyword, trimmed, or null if no line has that keyword
   */
  public String value(String key) {
    String lowerKey = key.toLowerCase(Locale.ROOT);
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.equals(lowerKey)) {
        return "";
      }
      if (lower.startsWith(lowerKey + " ")) {
        return line.substring(key.length()).trim();
      }
    }
    return null;
  }

  /**
   * The encoding the header names: {@code "evt 3.0"} from an {@code % evt 3.0} line, or {@code
   * "format EVT3"} from a {@code % format EVT3;...} line; null if neither is present.
   *
   * @return a short quote of the header's claim, for messages and checks
   */
  public String encodingClaim() {
    String evt = value("evt");
    if (evt != null) {
      return "evt " + evt;
    }
    String format = value("format");
    if (format != null) {
      int semicolon = format.indexOf(';');
      return "format " + (semicolon < 0 ? format : format.substring(0, semicolon)).trim();
    }
    return null;
  }

  /**
   * Whether the header reads like a DAT file's ({@code % Data file containing ...}).
   *
   * @return true for a DAT header
   */
  public boolean isDatHeader() {
    return value("Data file containing") != null;
  }

  /**
   * Sensor width in pixels, from {@code format ...;width=W}, {@code geometry WxH} or {@code Width
   * W}.
   *
   * @return the width, or -1 if the header gives none (or an unreadable one)
   */
  public int width() {
    return dimension(true);
  }

  /**
   * Sensor height in pixels, from {@code format ...;height=H}, {@code geometry WxH} or {@code
   * Height H}.
   *
   * @return the height, or -1 if the header gives none (or an unreadable one)
   */
  public int height() {
    return dimension(false);
  }

  /**
   * The width a decoder takes from the header.
   *
   * @param range the largest width the format's addresses can reach
   * @param fallback the width to keep where the header gives none in [1, range]
   * @return {@link #width()} if it is in [1, range], else {@code fallback}
   */
  public int widthWithin(int range, int fallback) {
    int w = width();
    return w > 0 && w <= range ? w : fallback;
  }

  /**
   * The height a decoder takes from the header.
   *
   * @param range the largest height the format's addresses can reach
   * @param fallback the height to keep where the header gives none in [1, range]
   * @return {@link #height()} if it is in [1, range], else {@code fallback}
   */
  public int heightWithin(int range, int fallback) {
    int h = height();
    return h > 0 && h <= range ? h : fallback;
  }

  private int dimension(boolean width) {
    String format = value("format");
    if (format != null) {
      for (String option : format.split(";")) {
        int equals = option.indexOf('=');
        if (equals > 0) {
          String name = option.substring(0, equals).trim().toLowerCase(Locale.ROOT);
          if (name.equals(width ? "width" : "height")) {
            return positive(option.substring(equals + 1));
          }
        }
      }
    }
    String geometry = value("geometry");
    if (geometry != null) {
      int x = geometry.toLowerCase(Locale.ROOT).indexOf('x');
      if (x > 0) {
        return positive(width ? geometry.substring(0, x) : geometry.substring(x + 1));
      }
    }
    String plain = value(width ? "Width" : "Height");
    return plain == null ? -1 : positive(plain);
  }

  private static int positive(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      return value > 0 ? value : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Reads a header that arrives in pieces: feed bytes until {@link #feed} returns the offset where
   * the data starts.
   */
  public static final class Reader {
    private byte[] buffer = new byte[256];
    private int length;
    private boolean atLineStart = true;
    private boolean overflowed;
    private PropheseeHeader header;

    /** Creates a reader at the start of a file. */
    public Reader() {}

    /**
     * Feeds the next bytes.
     *
     * @param bytes array holding them
     * @param from index of the first
     * @param to index just past the last
     * @return the index in {@code bytes} where the data starts (the header ended), or -1 if all
     *     bytes were header bytes and more may follow; after the header ended, {@link #header()} is
     *     set
     */
    public int feed(byte[] bytes, int from, int to) {
      for (int i = from; i < to; i++) {
        byte b = bytes[i];
        if (atLineStart && b != '%') {
          header = scan(buffer, length, true, Integer.MAX_VALUE);
          return i;
        }
        if (length == MAX_BYTES) {
          overflowed = true;
          header = scan(buffer, length, true, Integer.MAX_VALUE);
          return i;
        }
        append(b);
        atLineStart = b == '\n';
        if (atLineStart && endsWithEndLine()) {
          header = scan(buffer, length, true, Integer.MAX_VALUE);
          return i + 1;
        }
      }
      return -1;
    }

    /**
     * Whether the header ran past {@link #MAX_BYTES}: the data then starts inside what looked like
     * header lines.
     *
     * @return true if the header was cut at the limit
     */
    public boolean overflowed() {
      return overflowed;
    }

    /**
     * Ends the header at the end of the stream.
     *
     * @return the header read so far (a last line without line feed included)
     */
    public PropheseeHeader finish() {
      if (header == null) {
        header = scan(buffer, length, true, Integer.MAX_VALUE);
      }
      return header;
    }

    /**
     * Whether the stream ended inside a header line (no line feed after the last {@code %} line).
     *
     * @return true if a header line was cut off by the end of the stream
     */
    public boolean endedInsideLine() {
      return length > 0 && !atLineStart;
    }

    /**
     * The parsed header, once {@link #feed} has returned a data offset or {@link #finish} was
     * called.
     *
     * @return the header, or null while it is still being read
     */
    public PropheseeHeader header() {
      return header;
    }

    /**
     * The parsed header, for a decoder about to read the data: if the header lines ran past {@link
     * #MAX_BYTES} (read as data from there on), their last {@link #MAX_BYTES} bytes are first
     * recorded as damage.
     *
     * @param dataPosition the byte offset at which the data starts
     * @param damage where the decoder collects its dead letters
     * @return the header
     */
    public PropheseeHeader header(long dataPosition, DamageRun damage) {
      if (overflowed) {
        damage.add(
            dataPosition - MAX_BYTES,
            dataPosition,
            "% header lines run past " + MAX_BYTES + " bytes; the rest is read as data");
      }
      return header;
    }

    private void append(byte b) {
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(MAX_BYTES, buffer.length * 2));
      }
      buffer[length++] = b;
    }

    private boolean endsWithEndLine() {
      int end = length - 1;
      int start = end - 1;
      while (start >= 0 && buffer[start] != '\n') {
        start--;
      }
      start++;
      return lineText(buffer, start, end).equals("end");
    }
  }
}
