package io.spikestream.job.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.spikestream.job.config.GroupConfig;
import io.spikestream.neural.Checks;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The one place that knows the wire formats: parses input lines into {@link InputEvent}s and
 * formats spike, late and dead-letter records as JSON lines.
 *
 * <p>Input, one JSON object per line; {@code t} is event time in ms:
 *
 * <pre>
 *   {"group":"retina","t":12.5,"currents":[...]}                  dense, B*count numbers
 *   {"group":"retina","t":12.5,"index":[3,17],"current":[0.5,-1.25]}  sparse, flat indices
 *   {"group":"retina","t":12.5,"override":[3,17]}                  these neurons spike
 * </pre>
 *
 * One event may combine these fields. Numbers are read as IEEE doubles; indices must be JSON
 * integers. Parsing is strict: unknown or repeated fields, wrong types, lengths or ranges, and
 * non-finite numbers reject the line with a reason (see {@link #parse}). A parser instance reuses
 * its scratch buffers and is not thread-safe; the formatting methods are.
 */
public final class EventCodec {

  /**
   * Nesting deeper than any valid event needs is refused early, whatever the line holds. Numbers go
   * through Jackson's fast double parser: correctly rounded like {@link Double#parseDouble},
   * several times faster on the long number lists of dense frames.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(1000).build())
          .build();

  private final Map<String, GroupConfig> groups;
  private double[] doubles = new double[1024];
  private int[] ints = new int[64];

  /**
   * @param groups the known groups by id; events of other groups are rejected
   */
  public EventCodec(Map<String, GroupConfig> groups) {
    this.groups = groups;
  }

  /**
   * Parses and validates one input line against its group.
   *
   * @param line a raw input line
   * @return the event, with its step set
   * @throws BadEventException whose message is the reason: {@code malformed JSON: ...}, {@code
   *     unknown group 'x'}, {@code missing field 't'}, {@code 'currents' has 5 values, group 'g'
   *     needs 6}, {@code 'index' 9 is out of range [0, 6)}, ...
   */
  public InputEvent parse(String line) throws BadEventException {
    Fields fields = new Fields();
    try (JsonParser parser = JSON.createParser(line)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new BadEventException("malformed JSON: empty line");
      }
      if (token != JsonToken.START_OBJECT) {
        throw new BadEventException("malformed JSON: not a JSON object");
      }
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        readField(parser, name, fields);
      }
      if (parser.nextToken() != null) {
        throw new BadEventException("malformed JSON: content after the object");
      }
    } catch (JsonProcessingException e) {
      throw new BadEventException("malformed JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new BadEventException("malformed JSON: " + firstLine(e.getMessage()));
    }
    return validate(fields);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int end = message.indexOf('\n');
    String first = end < 0 ? message : message.substring(0, end);
    return first.length() > 200 ? first.substring(0, 200) + "..." : first;
  }

  /** What one line said, before validation against its group. */
  private static final class Fields {
    String error;
    String group;
    Double t;
    double[] currents;
    int[] index;
    double[] current;
    int[] override;
    int seen;

    void fail(String reason) {
      if (error == null) {
        error = reason;
      }
    }
  }

  private static final String[] NAMES = {"group", "t", "currents", "index", "current", "override"};

  private void readField(JsonParser parser, String name, Fields fields) throws IOException {
    int bit = NAMES.length - 1;
    while (bit >= 0 && !NAMES[bit].equals(name)) {
      bit--;
    }
    if (bit < 0) {
      fields.fail("unknown field '" + shorten(name) + "'");
      parser.skipChildren();
      return;
    }
    if ((fields.seen & (1 << bit)) != 0) {
      fields.fail("duplicate field '" + name + "'");
      parser.skipChildren();
      return;
    }
    fields.seen |= 1 << bit;
    JsonToken token = parser.currentToken();
    switch (name) {
      case "group" -> {
        if (token == JsonToken.VALUE_STRING) {
          fields.group = parser.getText();
        } else {
          fields.fail("'group' must be a string");
          parser.skipChildren();
        }
      }
      case "t" -> {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          fields.t = parser.getDoubleValue();
        } else {
          fields.fail("'t' must be a number");
          parser.skipChildren();
        }
      }
      case "currents" -> fields.currents = readNumbers(parser, name, fields);
      case "current" -> fields.current = readNumbers(parser, name, fields);
      case "index" -> fields.index = readIndices(parser, name, fields);
      default -> fields.override = readIndices(parser, name, fields);
    }
  }

  private static String shorten(String text) {
    return text.length() > 64 ? text.substring(0, 64) + "..." : text;
  }

  private double[] readNumbers(JsonParser parser, String name, Fields fields) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      fields.fail("'" + name + "' must be a list of numbers");
      parser.skipChildren();
      return null;
    }
    int n = 0;
    boolean ok = true;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          fields.fail("'" + name + "' has a non-finite number at position " + n);
          ok = false;
        }
        if (n == doubles.length) {
          doubles = Arrays.copyOf(doubles, 2 * n);
        }
        doubles[n++] = value;
      } else {
        fields.fail("'" + name + "' must be a list of numbers");
        ok = false;
        parser.skipChildren();
      }
    }
    return ok ? Arrays.copyOf(doubles, n) : null;
  }

  private int[] readIndices(JsonParser parser, String name, Fields fields) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      fields.fail("'" + name + "' must be a list of integers");
      parser.skipChildren();
      return null;
    }
    int n = 0;
    boolean ok = true;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == JsonToken.VALUE_NUMBER_INT) {
        if (parser.getNumberType() == JsonParser.NumberType.INT) {
          if (n == ints.length) {
            ints = Arrays.copyOf(ints, 2 * n);
          }
          ints[n++] = parser.getIntValue();
        } else {
          fields.fail("'" + name + "' " + shorten(parser.getText()) + " is out of range");
          ok = false;
        }
      } else {
        fields.fail("'" + name + "' must be a list of integers");
        ok = false;
        parser.skipChildren();
      }
    }
    return ok ? Arrays.copyOf(ints, n) : null;
  }

  private InputEvent validate(Fields fields) throws BadEventException {
    if (fields.error != null) {
      throw new BadEventException(fields.error);
    }
    if (fields.group == null) {
      throw new BadEventException("missing field 'group'");
    }
    GroupConfig group = groups.get(fields.group);
    if (group == null) {
      throw new BadEventException("unknown group '" + shorten(fields.group) + "'");
    }
    if (fields.t == null) {
      throw new BadEventException("missing field 't'");
    }
    double t = fields.t;
    if (!Double.isFinite(t) || Math.abs(t) > GroupConfig.MAX_TIME_MS) {
      throw new BadEventException("'t' of " + Checks.repr(t) + " is out of range");
    }
    if (t < group.t0()) {
      throw new BadEventException(
          "'t' of " + Checks.repr(t) + " is before the group's t0 of " + Checks.repr(group.t0()));
    }
    if (fields.currents == null
        && fields.index == null
        && fields.current == null
        && fields.override == null) {
      throw new BadEventException("no 'currents', 'index'/'current' or 'override'");
    }
    int neurons = group.neurons();
    if (fields.currents != null && fields.currents.length != neurons) {
      throw new BadEventException(
          "'currents' has "
              + fields.currents.length
              + " values, group '"
              + group.id()
              + "' needs "
              + neurons);
    }
    if ((fields.index == null) != (fields.current == null)) {
      throw new BadEventException(
          fields.index == null ? "'current' without 'index'" : "'index' without 'current'");
    }
    if (fields.index != null && fields.index.length != fields.current.length) {
      throw new BadEventException(
          "'index' has "
              + fields.index.length
              + " entries but 'current' has "
              + fields.current.length);
    }
    checkRange("index", fields.index, neurons);
    checkRange("override", fields.override, neurons);
    if (fields.override != null && !group.neuron().takesOverrides()) {
      throw new BadEventException(
          "'override' is for exact groups; group '"
              + group.id()
              + "' is a "
              + group.model()
              + " group, whose spikes come from its dynamics");
    }

    InputEvent event = new InputEvent();
    event.group = group.id();
    event.t = t;
    event.step = group.stepOf(t);
    event.currents = fields.currents;
    event.index = fields.index;
    event.current = fields.current;
    event.override = fields.override;
    return event;
  }

  private static void checkRange(String name, int[] indices, int neurons) throws BadEventException {
    if (indices == null) {
      return;
    }
    for (int index : indices) {
      if (index < 0 || index >= neurons) {
        throw new BadEventException(
            "'" + name + "' " + index + " is out of range [0, " + neurons + ")");
      }
    }
  }

  // ---- output formats ----

  /**
   * Formats a spike record: {@code {"group":"g","step":12,"t":12.0,"spikes":[3,17]}}, with {@code
   * "voltage":[...]} after the spikes when the record has voltages.
   *
   * @param record the record
   * @return one JSON line, without the line break
   */
  public static String format(SpikeRecord record) {
    // one record per step: built directly (the numbers as Double/Float.toString, the group id
    // with Jackson's own string escaping), byte for byte what a JsonGenerator writes
    int[] spikes = record.spikes;
    float[] voltage = record.voltage;
    StringBuilder json =
        new StringBuilder(
            48
                + record.group.length()
                + 6 * spikes.length
                + (voltage == null ? 0 : 8 * voltage.length));
    json.append("{\"group\":\"");
    JsonStringEncoder.getInstance().quoteAsString(record.group, json);
    json.append("\",\"step\":").append(record.step).append(",\"t\":");
    appendDouble(json, record.t);
    json.append(",\"spikes\":[");
    for (int i = 0; i < spikes.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(spikes[i]);
    }
    json.append(']');
    if (voltage != null) {
      json.append(",\"voltage\":[");
      for (int i = 0; i < voltage.length; i++) {
        if (i > 0) {
          json.append(',');
        }
        json.append(voltage[i]);
      }
      json.append(']');
    }
    return json.append('}').toString();
  }

  /**
   * Formats a spike record into a buffer as UTF-8, byte for byte the line {@link
   * #format(SpikeRecord)} makes, without a string for its numbers: the file sink's path, where a
   * camera's records hold thousands of spike indices each.
   *
   * @param record the spike record
   * @param line the buffer, cleared first
   */
  public static void format(SpikeRecord record, LineBuffer line) {
    line.clear();
    line.append("{\"group\":\"");
    if (!line.appendPlainJson(record.group)) {
      StringBuilder group = new StringBuilder(record.group.length() + 8);
      JsonStringEncoder.getInstance().quoteAsString(record.group, group);
      line.append(group.toString());
    }
    line.append("\",\"step\":");
    line.append(record.step).append(",\"t\":");
    double t = record.t;
    if (t == (long) t
        && Math.abs(t) < 1e7
        && Double.doubleToRawLongBits(t) != Double.doubleToRawLongBits(-0.0)) {
      line.append((long) t).append(".0");
    } else {
      line.append(Double.toString(t));
    }
    line.append(",\"spikes\":[");
    int[] spikes = record.spikes;
    for (int i = 0; i < spikes.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(spikes[i]);
    }
    line.append(']');
    float[] voltage = record.voltage;
    if (voltage != null) {
      line.append(",\"voltage\":[");
      for (int i = 0; i < voltage.length; i++) {
        if (i > 0) {
          line.append(',');
        }
        line.append(Float.toString(voltage[i]));
      }
      line.append(']');
    }
    line.append('}');
  }

  /**
   * Appends {@code Double.toString(value)}. Step times are mostly whole milliseconds, and for a
   * whole number of magnitude below 10^7 that is its digits and ".0" (plain notation, not -0.0),
   * which the long formatting writes several times faster than the general algorithm.
   */
  private static void appendDouble(StringBuilder json, double value) {
    if (value == (long) value
        && Math.abs(value) < 1e7
        && Double.doubleToRawLongBits(value) != Double.doubleToRawLongBits(-0.0)) {
      json.append((long) value).append(".0");
    } else {
      json.append(value);
    }
  }

  /**
   * Formats a late event: {@code {"group":"g","step":3,"reason":"...","event":{...}}}.
   *
   * @param late the late event
   * @return one JSON line
   */
  public static String format(LateEvent late) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeStringField("group", late.event.group);
          json.writeNumberField("step", late.event.step);
          json.writeStringField("reason", late.reason);
          json.writeFieldName("event");
          writeEvent(json, late.event);
          json.writeEndObject();
        });
  }

  /**
   * Formats a dead letter: {@code {"reason":"...","source":"...","position":N,"line":"<the raw
   * line>"}}; {@code source} and {@code position} where known, {@code line} for text input.
   *
   * @param letter the dead letter
   * @return one JSON line
   */
  public static String format(DeadLetter letter) {
    return write(
        json -> {
          json.writeStartObject();
          json.writeStringField("reason", letter.reason);
          if (letter.source != null) {
            json.writeStringField("source", letter.source);
          }
          if (letter.position >= 0) {
            json.writeNumberField("position", letter.position);
          }
          if (letter.line != null) {
            json.writeStringField("line", letter.line);
          }
          json.writeEndObject();
        });
  }

  /**
   * The group of a formatted spike record or late event (their first field), which is the Kafka
   * record key of both; null for a dead letter, which belongs to no group.
   *
   * @param formatted a line made by one of the {@code format} methods
   * @return the group id, or null
   */
  public static String groupOf(String formatted) {
    try (JsonParser parser = JSON.createParser(formatted)) {
      if (parser.nextToken() == JsonToken.START_OBJECT
          && parser.nextToken() == JsonToken.FIELD_NAME
          && parser.currentName().equals("group")
          && parser.nextToken() == JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Formats an event in the input format, so that it parses back to an equal event.
   *
   * @param event the event
   * @return one JSON line
   */
  public static String formatEvent(InputEvent event) {
    return write(json -> writeEvent(json, event));
  }

  private static void writeEvent(JsonGenerator json, InputEvent event) throws IOException {
    json.writeStartObject();
    json.writeStringField("group", event.group);
    json.writeNumberField("t", event.t);
    if (event.currents != null) {
      json.writeFieldName("currents");
      json.writeArray(event.currents, 0, event.currents.length);
    }
    if (event.index != null) {
      json.writeFieldName("index");
      json.writeArray(event.index, 0, event.index.length);
      json.writeFieldName("current");
      json.writeArray(event.current, 0, event.current.length);
    }
    if (event.override != null) {
      json.writeFieldName("override");
      json.writeArray(event.override, 0, event.override.length);
    }
    if (event.count != 1) {
      json.writeNumberField("events", event.count);
    }
    json.writeEndObject();
  }

  private interface JsonWriting {
    void writeTo(JsonGenerator json) throws IOException;
  }

  private static String write(JsonWriting writing) {
    StringWriter text = new StringWriter(128);
    try (JsonGenerator json = JSON.createGenerator(text)) {
      writing.writeTo(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
