package io.spikestream.job.io.csv;

import io.spikestream.job.io.camera.AddressEventHandler;
import io.spikestream.job.io.camera.ChunkedDecoder;
import io.spikestream.job.io.camera.DamageRun;
import io.spikestream.job.io.camera.FormatException;
import io.spikestream.job.io.camera.Magic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decodes comma-separated events, one per line, as aestream and tonic write them: {@code t,x,y,p}
 * with t an integer in µs, x and y integer pixels, p 1 (ON) or 0 (OFF).
 *
 * <p>Header: optional. The first line that is not blank or a comment is a header when its first
 * field starts with a letter; its columns are then matched by name, ignoring case and blanks:
 * {@code t} (or {@code timestamp}, {@code ts}, {@code time}), {@code x}, {@code y}, {@code p} (or
 * {@code polarity}, {@code pol}, {@code on}), any order, other columns ignored; so Prophesee's
 * {@code x,y,polarity,timestamp} reads right with its header. Without a header the columns are
 * {@code t,x,y,p}. Lines starting with {@code %} or {@code #} (such as Prophesee's {@code
 * %geometry:1280,720}) are comments. Lines end with LF or CRLF; a last line without one counts.
 *
 * <p>Values: integers with an optional sign and blanks around them; p may also be {@code true} /
 * {@code false}, and a p &gt; 0 counts as ON, &le; 0 (such as -1) as OFF.
 *
 * <p>Damage, once per run of consecutive bad lines, decoding going on at the next line: too few
 * fields, a value that is not an integer, a negative x or y, a line longer than {@value
 * #MAX_LINE_BYTES} bytes (skipped to its end). A header that lacks one of the four columns makes
 * the whole rest one damaged run.
 *
 * <p>A Kafka record value holds whole lines, with or without its own header line.
 */
public final class CsvDecoder extends ChunkedDecoder {

  /** Longest line accepted, in bytes. */
  public static final int MAX_LINE_BYTES = 4096;

  private static final int MAX_FIELDS = 64;

  private final byte[] line = new byte[MAX_LINE_BYTES];
  private int lineLength;
  private long lineStart;
  private boolean lineTooLong;

  private boolean headerDecided;
  private boolean unreadable;
  private int columnT = 0;
  private int columnX = 1;
  private int columnY = 2;
  private int columnP = 3;
  private int fieldsNeeded = 4;

  private final int[] fieldStart = new int[MAX_FIELDS];
  private final int[] fieldEnd = new int[MAX_FIELDS];

  private final DamageRun damage = new DamageRun();

  /**
   * Creates a decoder. A file and a record value are read alike (a header line is optional in
   * both).
   *
   * @param recordValue whether the bytes are one Kafka record value; it changes nothing but is
   *     taken for symmetry with the other formats
   */
  public CsvDecoder(boolean recordValue) {}

  /**
   * Checks that the first bytes of a file can be a CSV file of events: text without NUL or other
   * control bytes, whose first line (not blank, not a comment) is a header naming t, x, y and p, or
   * a line of at least four integers.
   *
   * @param head the first bytes of the file
   * @param length how many of them are valid
   * @param source names the file in the message
   * @throws FormatException if the file is not a CSV file of events
   */
  public static void checkHeader(byte[] head, int length, String source) throws FormatException {
    String prefix = source + ": not a t,x,y,p CSV file: ";
    String other = Magic.describe(head, length);
    if (other != null) {
      throw new FormatException(prefix + other);
    }
    for (int i = 0; i < length; i++) {
      int b = head[i] & 0xff;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
        throw new FormatException(
            prefix
                + String.format(
                    Locale.ROOT, "it holds the control byte 0x%02X at offset %d", b, i));
      }
    }
    int start = 0;
    while (start < length) {
      int end = start;
      while (end < length && head[end] != '\n') {
        end++;
      }
      String text = new String(head, start, end - start, StandardCharsets.UTF_8).strip();
      start = end + 1;
      if (text.isEmpty() || text.startsWith("%") || text.startsWith("#")) {
        continue;
      }
      if (end == length && length >= 4096) {
        return; // the first line is longer than the head; nothing more to say
      }
      String[] fields = text.split(",", -1);
      if (Character.isLetter(
          fields[0].strip().isEmpty() ? '0' : stripQuotes(fields[0]).charAt(0))) {
        List<String> missing = missingColumns(fields);
        if (!missing.isEmpty()) {
          throw new FormatException(
              prefix + "its header '" + text + "' has no column " + String.join(", ", missing));
        }
        return;
      }
      if (fields.length < 4) {
        throw new FormatException(
            prefix + "its first line '" + text + "' has " + fields.length + " fields, not 4");
      }
      for (int f = 0; f < 4; f++) {
        if (!fields[f].strip().matches("[+-]?[0-9]+")) {
          throw new FormatException(
              prefix + "its first line '" + text + "' is neither a header nor four integers");
        }
      }
      return;
    }
  }

  private static String stripQuotes(String field) {
    String s = field.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return s.isEmpty() ? "?" : s;
  }

  private static int role(String name) {
    return switch (stripQuotes(name).toLowerCase(Locale.ROOT)) {
      case "t", "timestamp", "ts", "time" -> 0;
      case "x" -> 1;
      case "y" -> 2;
      case "p", "polarity", "pol", "on" -> 3;
      default -> -1;
    };
  }

  private static List<String> missingColumns(String[] names) {
    boolean[] found = new boolean[4];
    for (String name : names) {
      int role = role(name);
      if (role >= 0) {
        found[role] = true;
      }
    }
    List<String> missing = new ArrayList<>();
    String[] roleNames = {"t", "x", "y", "p"};
    for (int r = 0; r < 4; r++) {
      if (!found[r]) {
        missing.add(roleNames[r]);
      }
    }
    return missing;
  }

  @Override
  protected void decodeBytes(
      byte[] bytes, int from, int length, long position, AddressEventHandler out) {
    int end = from + length;
    long base = position - from;
    if (unreadable) {
      damage.extendTo(base + end);
      return;
    }
    int i = from;
    while (i < end) {
      int newline = i;
      while (newline < end && bytes[newline] != '\n') {
        newline++;
      }
      if (lineLength == 0 && !lineTooLong) {
        lineStart = base + i;
      }
      if (newline == end) {
        keep(bytes, i, end);
        return;
      }
      if (lineLength == 0 && !lineTooLong) {
        if (newline - i > MAX_LINE_BYTES) {
          lineTooLong = true;
          endKeptLine(out, base + newline + 1);
        } else {
          line(bytes, i, newline, base + i, base + newline + 1, out);
        }
      } else {
        keep(bytes, i, newline);
        endKeptLine(out, base + newline + 1);
      }
      i = newline + 1;
      if (unreadable) {
        damage.extendTo(base + end);
        return;
      }
    }
  }

  private void keep(byte[] bytes, int from, int to) {
    int n = to - from;
    if (lineTooLong || lineLength + n > MAX_LINE_BYTES) {
      lineTooLong = true;
      lineLength = 0;
      return;
    }
    System.arraycopy(bytes, from, line, lineLength, n);
    lineLength += n;
  }

  private void endKeptLine(AddressEventHandler out, long lineEnd) {
    if (lineTooLong) {
      if (damage.isOpen()) {
        damage.extendTo(lineEnd);
      } else {
        damage.add(lineStart, lineEnd, "line longer than " + MAX_LINE_BYTES + " bytes");
      }
    } else {
      line(line, 0, lineLength, lineStart, lineEnd, out);
    }
    lineLength = 0;
    lineTooLong = false;
  }

  @Override
  protected void finishStream(long endPosition, AddressEventHandler out) {
    if (!unreadable && (lineLength > 0 || lineTooLong)) {
      endKeptLine(out, endPosition);
    }
    damage.flush(out);
  }

  /**
   * Decodes the line {@code bytes[from, to)} (without its line feed) found at {@code position};
   * {@code lineEnd} is the stream offset past its line feed.
   */
  private void line(
      byte[] bytes, int from, int to, long position, long lineEnd, AddressEventHandler out) {
    if (to > from && bytes[to - 1] == '\r') {
      to--;
    }
    int first = from;
    while (first < to && (bytes[first] == ' ' || bytes[first] == '\t')) {
      first++;
    }
    if (first == to || bytes[first] == '%' || bytes[first] == '#') {
      return;
    }
    int fields = split(bytes, first, to);
    if (!headerDecided) {
      headerDecided = true;
      byte c = bytes[fieldStart[0]];
      if (c == '"' || Character.isLetter(c)) {
        header(bytes, fields, position, lineEnd, out);
        return;
      }
    }
    if (fields < fieldsNeeded) {
      bad(position, lineEnd, "line has " + fields + " fields, fewer than " + fieldsNeeded);
      return;
    }
    long t = integer(bytes, columnT);
    long x = integer(bytes, columnX);
    long y = integer(bytes, columnY);
    long p = polarity(bytes, columnP);
    if (t == NOT_INTEGER || x == NOT_INTEGER || y == NOT_INTEGER || p == NOT_INTEGER) {
      String[] names = {"t", "x", "y", "p"};
      int[] columns = {columnT, columnX, columnY, columnP};
      long[] values = {t, x, y, p};
      for (int k = 0; k < 4; k++) {
        if (values[k] == NOT_INTEGER) {
          bad(
              position,
              lineEnd,
              names[k] + " '" + field(bytes, columns[k]) + "' is not an integer");
          return;
        }
      }
    }
    if (x < 0 || y < 0 || x > Integer.MAX_VALUE || y > Integer.MAX_VALUE) {
      bad(position, lineEnd, "x " + x + " or y " + y + " is negative or too large");
      return;
    }
    if (damage.isOpen()) {
      damage.flush(out);
    }
    out.event(t, (int) x, (int) y, p > 0 ? 1 : 0, position);
  }

  private void header(
      byte[] bytes, int fields, long position, long lineEnd, AddressEventHandler out) {
    String[] names = new String[fields];
    for (int f = 0; f < fields; f++) {
      names[f] = field(bytes, f);
    }
    List<String> missing = missingColumns(names);
    if (!missing.isEmpty()) {
      unreadable = true;
      damage.add(
          position,
          lineEnd,
          "the header '"
              + String.join(",", names)
              + "' has no column "
              + String.join(", ", missing)
              + "; nothing decoded");
      return;
    }
    int[] columns = new int[4];
    for (int f = fields - 1; f >= 0; f--) {
      int role = role(names[f]);
      if (role >= 0) {
        columns[role] = f;
      }
    }
    columnT = columns[0];
    columnX = columns[1];
    columnY = columns[2];
    columnP = columns[3];
    fieldsNeeded = 1 + Math.max(Math.max(columnT, columnX), Math.max(columnY, columnP));
    if (damage.isOpen()) {
      damage.flush(out);
    }
  }

  private int split(byte[] bytes, int from, int to) {
    int count = 0;
    int start = from;
    for (int i = from; i <= to && count < MAX_FIELDS; i++) {
      if (i == to || bytes[i] == ',') {
        int s = start;
        int e = i;
        while (s < e && (bytes[s] == ' ' || bytes[s] == '\t')) {
          s++;
        }
        while (e > s && (bytes[e - 1] == ' ' || bytes[e - 1] == '\t')) {
          e--;
        }
        fieldStart[count] = s;
        fieldEnd[count] = e;
        count++;
        start = i + 1;
      }
    }
    return count;
  }

  private static final long NOT_INTEGER = Long.MIN_VALUE;

  private long integer(byte[] bytes, int field) {
    int i = fieldStart[field];
    int end = fieldEnd[field];
    if (i == end) {
      return NOT_INTEGER;
    }
    boolean negative = false;
    if (bytes[i] == '-' || bytes[i] == '+') {
      negative = bytes[i] == '-';
      i++;
    }
    if (i == end || end - i > 18) {
      return NOT_INTEGER;
    }
    long value = 0;
    for (; i < end; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_INTEGER;
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  private long polarity(byte[] bytes, int field) {
    long value = integer(bytes, field);
    if (value != NOT_INTEGER) {
      return value;
    }
    // compared in place: no String per event for files that write True / False
    if (fieldEquals(bytes, field, "true")) {
      return 1;
    }
    return fieldEquals(bytes, field, "false") ? 0 : NOT_INTEGER;
  }

  private boolean fieldEquals(byte[] bytes, int field, String lowerCase) {
    int start = fieldStart[field];
    if (fieldEnd[field] - start != lowerCase.length()) {
      return false;
    }
    for (int k = 0; k < lowerCase.length(); k++) {
      if (Character.toLowerCase((char) (bytes[start + k] & 0xff)) != lowerCase.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private String field(byte[] bytes, int field) {
    String text =
        new String(
            bytes, fieldStart[field], fieldEnd[field] - fieldStart[field], StandardCharsets.UTF_8);
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  private void bad(long position, long lineEnd, String why) {
    if (damage.isOpen()) {
      damage.extendTo(lineEnd);
    } else {
      damage.add(position, lineEnd, why);
    }
  }
}
