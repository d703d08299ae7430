package io.spikestream.job.plot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the spike records of one part file, {@code
 * {"group":"g","step":12,"t":12.0,"spikes":[3,17]}} with an optional {@code "voltage":[...]}, as
 * {@code EventCodec.format} writes them, one JSON object per line.
 *
 * <p>The file is streamed through Jackson's token parser straight from its bytes: no line string,
 * no tree, and one {@link Record} whose arrays are reused, so memory stays bounded by the longest
 * record whatever the file's size. Voltages are decoded only at the flat indices the {@link
 * Handler} asks for; the others are tokenized and counted, not converted to numbers. Unknown fields
 * are skipped, so records that gain fields still plot.
 */
final class SpikeRecordReader {

  /** As in {@code EventCodec}: a fast, correctly rounded number parser, and no deep nesting. */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(1000).build())
          .build();

  /** One record as read. Its arrays are reused for the next record of the file. */
  static final class Record {
    /** The group id. */
    String group;

    /** The step number k. */
    long step;

    /** The step's start in ms. */
    double t;

    /** The flat indices that spiked, in {@code spikes[0, spikeCount)}. */
    int[] spikes = new int[64];

    /** Number of spikes in {@link #spikes}. */
    int spikeCount;

    /** Number of values of the record's {@code "voltage"}, or -1 if it has none. */
    int voltageCount;

    /**
     * The voltages in mV at the flat indices {@link Handler#voltagesOf} gave for the group, in that
     * order; valid where {@link #voltageCount} is at least 0.
     */
    float[] selected = new float[PlotRequest.MAX_TRACES];

    /** All voltages, kept only while the group is not yet known (it came after the voltages). */
    private float[] all = new float[0];
  }

  /** What a reader hands its records to. */
  interface Handler {

    /**
     * @param group a group id
     * @return the ascending flat indices whose voltages to decode for that group, or null for none
     */
    int[] voltagesOf(String group);

    /**
     * @param record the record just read; only valid during the call
     * @throws BadRecord if the record contradicts the ones before it
     */
    void accept(Record record) throws BadRecord;
  }

  /** A record the plot cannot use; the message is the reason, without file and line. */
  static final class BadRecord extends Exception {
    /**
     * @param reason for example {@code missing field 'step'}
     */
    BadRecord(String reason) {
      super(reason, null, false, false);
    }
  }

  private SpikeRecordReader() {}

  /**
   * Reads every record of a file.
   *
   * @param file a committed part file of a run's {@code spikes/}
   * @param handler receives each record in file order
   * @throws PlotException naming the file and line of a record that is not a valid spike record, or
   *     the file if it cannot be read
   */
  static void read(Path file, Handler handler) throws PlotException {
    Record record = new Record();
    int line = 0;
    try (InputStream in = Files.newInputStream(file);
        JsonParser parser = JSON.createParser(in)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        line = parser.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
          throw new BadRecord("not a JSON object");
        }
        readRecord(parser, record, handler);
        handler.accept(record);
        line = 0; // between records: a syntax error is placed by Jackson's location
      }
    } catch (BadRecord e) {
      throw new PlotException(where(file, line) + e.getMessage());
    } catch (JsonProcessingException e) {
      // in a record, the line where it starts (a truncated one fails only at the end of the file)
      JsonLocation location = e.getLocation();
      int at = line > 0 || location == null ? line : location.getLineNr();
      throw new PlotException(where(file, at) + "malformed JSON: " + reason(e));
    } catch (IOException e) {
      throw new PlotException("cannot read '" + file + "': " + e);
    }
  }

  private static String where(Path file, int line) {
    return "spike record at '" + file + "' line " + line + ": ";
  }

  /** Jackson's message up to its first line break or source location, at most 200 chars. */
  private static String reason(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "unreadable";
    }
    int marker = message.indexOf(" (start marker at");
    if (marker >= 0) {
      message = message.substring(0, marker);
    }
    int end = message.indexOf('\n');
    String first = end < 0 ? message : message.substring(0, end);
    return first.length() > 200 ? first.substring(0, 200) + "..." : first;
  }

  private static void readRecord(JsonParser parser, Record record, Handler handler)
      throws IOException, BadRecord {
    record.group = null;
    record.spikeCount = 0;
    record.voltageCount = -1;
    boolean step = false;
    boolean t = false;
    boolean spikes = false;
    boolean voltageBeforeGroup = false;
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      token = parser.nextToken();
      switch (name) {
        case "group" -> {
          if (token != JsonToken.VALUE_STRING) {
            throw new BadRecord("'group' must be a string");
          }
          record.group = parser.getText();
        }
        case "step" -> {
          if (token != JsonToken.VALUE_NUMBER_INT
              || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new BadRecord("'step' must be an integer");
          }
          record.step = parser.getLongValue();
          step = true;
        }
        case "t" -> {
          if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new BadRecord("'t' must be a number");
          }
          record.t = parser.getDoubleValue();
          if (!Double.isFinite(record.t)) {
            throw new BadRecord("'t' of " + parser.getText() + " is not finite");
          }
          t = true;
        }
        case "spikes" -> {
          readSpikes(parser, record);
          spikes = true;
        }
        case "voltage" -> {
          voltageBeforeGroup = record.group == null;
          readVoltage(parser, record, voltageBeforeGroup ? null : handler.voltagesOf(record.group));
        }
        default -> parser.skipChildren();
      }
    }
    if (record.group == null) {
      throw new BadRecord("missing field 'group'");
    }
    if (!step) {
      throw new BadRecord("missing field 'step'");
    }
    if (!t) {
      throw new BadRecord("missing field 't'");
    }
    if (!spikes) {
      throw new BadRecord("missing field 'spikes'");
    }
    if (voltageBeforeGroup) {
      int[] wanted = handler.voltagesOf(record.group);
      for (int i = 0; wanted != null && i < wanted.length && wanted[i] < record.voltageCount; i++) {
        record.selected[i] = record.all[wanted[i]];
      }
    }
  }

  private static void readSpikes(JsonParser parser, Record record) throws IOException, BadRecord {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRecord("'spikes' must be a list of integers");
    }
    int n = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_NUMBER_INT) {
        throw new BadRecord("'spikes' must be a list of integers");
      }
      if (parser.getNumberType() != JsonParser.NumberType.INT || parser.getIntValue() < 0) {
        throw new BadRecord("'spikes' index " + parser.getText() + " is not a flat index >= 0");
      }
      if (n == record.spikes.length) {
        record.spikes = Arrays.copyOf(record.spikes, 2 * n);
      }
      record.spikes[n++] = parser.getIntValue();
    }
    record.spikeCount = n;
  }

  /**
   * @param wanted ascending indices to decode, null for none; or null with the group unknown, when
   *     all are kept in {@code record.all} for selection once the group is known
   */
  private static void readVoltage(JsonParser parser, Record record, int[] wanted)
      throws IOException, BadRecord {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRecord("'voltage' must be a list of numbers");
    }
    boolean keepAll = record.group == null;
    int n = 0;
    int next = 0; // position in wanted of the next index to decode
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
        throw new BadRecord("'voltage' must be a list of numbers");
      }
      if (keepAll) {
        if (n == record.all.length) {
          record.all = Arrays.copyOf(record.all, Math.max(64, 2 * n));
        }
        record.all[n] = parser.getFloatValue();
      } else if (wanted != null && next < wanted.length && wanted[next] == n) {
        record.selected[next++] = parser.getFloatValue();
      }
      n++;
    }
    record.voltageCount = n;
  }
}
