package io.spikestream.job.io.npy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0, as NumPy's {@code
 * numpy.lib.format} defines them), reduced to what an event reader needs: the element count and
 * where the fields {@code t}, {@code x}, {@code y} and {@code p} sit in each element.
 *
 * <p>The file starts with {@code \x93NUMPY}, a major and a minor version byte, the header length
 * (uint16 little-endian in 1.0, uint32 in 2.0 and 3.0), then that many bytes of a Python dict
 * literal: {@code {'descr': [...], 'fortran_order': False, 'shape': (N,), }}, padded with blanks
 * and ended by a line feed; the data follows. {@code descr} of a structured array lists {@code
 * (name, typestr)} pairs in memory order, with unnamed {@code ('', '|V3')} entries for padding, so
 * field offsets are the running sum of the sizes.
 */
public final class NpyHeader {

  /** The six magic bytes every {@code .npy} file starts with. */
  public static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** Largest header accepted, in bytes. */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Largest element accepted, in bytes. */
  public static final int MAX_ITEM_BYTES = 4096;

  /** Where one needed field lies in an element and how it is stored. */
  public record Field(
      String name, int offset, int size, boolean signed, boolean bigEndian, String typestr) {}

  /** The header is not one this reader can use; the message says why, in one line. */
  public static final class InvalidHeader extends Exception {
    InvalidHeader(String message) {
      super(message);
    }
  }

  private final long count;
  private final int itemSize;
  private final Field t;
  private final Field x;
  private final Field y;
  private final Field p;

  private NpyHeader(long count, int itemSize, Field t, Field x, Field y, Field p) {
    this.count = count;
    this.itemSize = itemSize;
    this.t = t;
    this.x = x;
    this.y = y;
    this.p = p;
  }

  /**
   * Length of the fixed preamble (magic, version, header length) for a major version.
   *
   * @param major the major version byte
   * @return 10 for version 1, 12 for versions 2 and 3
   */
  public static int preambleBytes(int major) {
    return major == 1 ? 10 : 12;
  }

  /**
   * Parses the dict literal of a header.
   *
   * @param bytes holds the header text
   * @param from index of its first byte
   * @param length its length in bytes
   * @return the layout of the t, x, y, p fields
   * @throws InvalidHeader if the header is malformed or lacks a usable t, x, y or p field
   */
  public static NpyHeader parse(byte[] bytes, int from, int length) throws InvalidHeader {
    try {
      return parseDict(bytes, from, length);
    } catch (ArithmeticException e) {
      throw new InvalidHeader("its header gives sizes too large to hold: " + e.getMessage());
    }
  }

  private static NpyHeader parseDict(byte[] bytes, int from, int length) throws InvalidHeader {
    String text = new String(bytes, from, length, StandardCharsets.UTF_8);
    Object parsed;
    try {
      parsed = new LiteralParser(text).parseAll();
    } catch (IllegalArgumentException e) {
      throw new InvalidHeader("its header is not a Python dict literal: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw new InvalidHeader("its header is not a dict");
    }
    Object descr = dict.get("descr");
    Object shape = dict.get("shape");
    if (descr == null || shape == null || !dict.containsKey("fortran_order")) {
      throw new InvalidHeader("its header lacks one of 'descr', 'fortran_order', 'shape'");
    }
    long count = 1;
    if (!(shape instanceof List<?> dims)) {
      throw new InvalidHeader("its shape " + shape + " is not a tuple");
    }
    for (Object dim : dims) {
      if (!(dim instanceof Long d) || d < 0) {
        throw new InvalidHeader("its shape " + shape + " is not a tuple of counts");
      }
      count = Math.multiplyExact(count, d);
    }
    if (!(descr instanceof List<?> fields)) {
      throw new InvalidHeader(
          "it is not a structured array of t, x, y, p: its dtype is " + quote(descr));
    }
    Map<String, Field> byName = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    int offset = 0;
    for (Object entry : fields) {
      if (!(entry instanceof List<?> tuple) || tuple.size() < 2) {
        throw new InvalidHeader("its dtype entry " + entry + " is not a (name, type) pair");
      }
      Object nameObject = tuple.get(0);
      if (nameObject instanceof List<?> titled && titled.size() == 2) {
        nameObject = titled.get(1);
      }
      if (!(nameObject instanceof String name) || !(tuple.get(1) instanceof String typestr)) {
        throw new InvalidHeader(
            "its dtype entry "
                + entry
                + " is not a (name, type) pair (nested dtypes are not read)");
      }
      int size = typeSize(typestr);
      if (tuple.size() > 2) {
        if (!(tuple.get(2) instanceof List<?> subShape)) {
          throw new InvalidHeader("its dtype entry " + entry + " has a malformed shape");
        }
        for (Object dim : subShape) {
          if (!(dim instanceof Long d) || d < 0) {
            throw new InvalidHeader("its dtype entry " + entry + " has a malformed shape");
          }
          size = Math.multiplyExact(size, Math.toIntExact(d));
        }
        if (!name.isEmpty() && role(name) != null) {
          throw new InvalidHeader("its field '" + name + "' is an array, not a scalar");
        }
      }
      if (!name.isEmpty()) {
        names.add(name);
        String role = role(name);
        if (role != null && !byName.containsKey(role)) {
          byName.put(role, field(role, name, typestr, offset, size));
        }
      }
      offset = Math.addExact(offset, size);
      if (offset > MAX_ITEM_BYTES) {
        throw new InvalidHeader("its elements are larger than " + MAX_ITEM_BYTES + " bytes");
      }
    }
    for (String role : new String[] {"t", "x", "y", "p"}) {
      if (!byName.containsKey(role)) {
        throw new InvalidHeader(
            "its dtype has no field '" + role + "' (fields: " + String.join(", ", names) + ")");
      }
    }
    if (offset == 0) {
      throw new InvalidHeader("its elements have no bytes");
    }
    return new NpyHeader(
        count, offset, byName.get("t"), byName.get("x"), byName.get("y"), byName.get("p"));
  }

  private static String role(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "t", "x", "y", "p" -> lower;
      default -> null;
    };
  }

  private static int typeSize(String typestr) throws InvalidHeader {
    if (typestr.length() < 3) {
      throw new InvalidHeader("its dtype has the type '" + typestr + "', not a NumPy type string");
    }
    try {
      int size = Integer.parseInt(typestr.substring(2));
      if (size < 0 || size > MAX_ITEM_BYTES) {
        throw new InvalidHeader("its dtype has the type '" + typestr + "' of " + size + " bytes");
      }
      return size;
    } catch (NumberFormatException e) {
      throw new InvalidHeader("its dtype has the type '" + typestr + "', not a NumPy type string");
    }
  }

  private static Field field(String role, String name, String typestr, int offset, int size)
      throws InvalidHeader {
    char order = typestr.charAt(0);
    char kind = typestr.charAt(1);
    boolean integer = kind == 'i' || kind == 'u';
    boolean bool = kind == 'b' && size == 1;
    boolean sizeOk = size == 1 || size == 2 || size == 4 || size == 8;
    if (!sizeOk || !(integer || (bool && role.equals("p")))) {
      throw new InvalidHeader(
          "its field '"
              + name
              + "' is '"
              + typestr
              + "'; expected "
              + (role.equals("p") ? "a bool or an integer type" : "an integer type"));
    }
    if (order != '<' && order != '>' && order != '|' && order != '=') {
      throw new InvalidHeader("its field '" + name + "' has the byte order '" + order + "'");
    }
    return new Field(name, offset, size, kind == 'i', order == '>', typestr);
  }

  private static String quote(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  /**
   * Number of elements (events), the product of the shape.
   *
   * @return element count; &ge; 0
   */
  public long count() {
    return count;
  }

  /**
   * Size of one element in bytes, padding included.
   *
   * @return item size; &gt; 0
   */
  public int itemSize() {
    return itemSize;
  }

  /**
   * The timestamp field.
   *
   * @return where {@code t} lies
   */
  public Field t() {
    return t;
  }

  /**
   * The column field.
   *
   * @return where {@code x} lies
   */
  public Field x() {
    return x;
  }

  /**
   * The row field.
   *
   * @return where {@code y} lies
   */
  public Field y() {
    return y;
  }

  /**
   * The polarity field.
   *
   * @return where {@code p} lies
   */
  public Field p() {
    return p;
  }

  /**
   * Parses the small subset of Python literals a {@code .npy} header uses: dicts, tuples, lists,
   * strings, integers, True, False, None. Tuples and lists both become {@link List}s.
   */
  private static final class LiteralParser {
    private final String text;
    private int at;

    LiteralParser(String text) {
      this.text = text;
    }

    Object parseAll() {
      Object value = value();
      blanks();
      if (at != text.length()) {
        throw new IllegalArgumentException("unexpected '" + text.charAt(at) + "' at " + at);
      }
      return value;
    }

    private void blanks() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private Object value() {
      blanks();
      if (at >= text.length()) {
        throw new IllegalArgumentException("it ends early");
      }
      char c = text.charAt(at);
      switch (c) {
        case '{':
          return dict();
        case '(':
          return sequence(')');
        case '[':
          return sequence(']');
        case '\'', '"':
          return string(c);
        default:
          break;
      }
      if (c == '-' || Character.isDigit(c)) {
        int start = at++;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
          at++;
        }
        if (at < text.length() && text.charAt(at) == 'L') {
          at++;
          return Long.parseLong(text.substring(start, at - 1));
        }
        try {
          return Long.parseLong(text.substring(start, at));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad number at " + start);
        }
      }
      for (String word : new String[] {"True", "False", "None"}) {
        if (text.startsWith(word, at)) {
          at += word.length();
          return word.equals("None") ? "None" : Boolean.valueOf(word.equals("True"));
        }
      }
      throw new IllegalArgumentException("unexpected '" + c + "' at " + at);
    }

    private Map<Object, Object> dict() {
      at++;
      Map<Object, Object> map = new LinkedHashMap<>();
      while (true) {
        blanks();
        if (at < text.length() && text.charAt(at) == '}') {
          at++;
          return map;
        }
        Object key = value();
        blanks();
        expect(':');
        map.put(key, value());
        blanks();
        if (at < text.length() && text.charAt(at) == ',') {
          at++;
        } else {
          blanks();
          expect('}');
          return map;
        }
      }
    }

    private List<Object> sequence(char close) {
      at++;
      List<Object> items = new ArrayList<>();
      while (true) {
        blanks();
        if (at < text.length() && text.charAt(at) == close) {
          at++;
          return items;
        }
        items.add(value());
        blanks();
        if (at < text.length() && text.charAt(at) == ',') {
          at++;
        } else {
          expect(close);
          return items;
        }
      }
    }

    private String string(char quote) {
      at++;
      StringBuilder out = new StringBuilder();
      while (at < text.length() && text.charAt(at) != quote) {
        char c = text.charAt(at++);
        if (c == '\\' && at < text.length()) {
          c = text.charAt(at++);
        }
        out.append(c);
      }
      expect(quote);
      return out.toString();
    }

    private void expect(char c) {
      if (at >= text.length() || text.charAt(at) != c) {
        throw new IllegalArgumentException(
            "expected '" + c + "' at " + at + (at < text.length() ? "" : " (it ends early)"));
      }
      at++;
    }
  }
}
