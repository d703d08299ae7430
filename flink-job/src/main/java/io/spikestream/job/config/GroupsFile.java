package io.spikestream.job.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spikestream.neural.Checks;
import io.spikestream.neural.Neuron;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates the groups file ({@code --groups}), YAML or JSON:
 *
 * <pre>
 * groups:
 *   - id: retina        # the key; unique
 *     model: exact      # exact, lif or alif, with the model's own fields (Inferno's names)
 *     shape: [32, 32]
 *     batch_size: 1     # default 1
 *     step_time: 1.0    # ms, > 0
 *     rest_v: -65.0     # mV
 *     thresh_v: -50.0   # mV, > rest_v
 *     t0: 0.0           # ms, event time at which step 0 starts; default 0
 *     event_current: 1.0  # nA an address event adds to its neuron; default 1.0
 *     pool: 1           # an event at pixel (x, y) counts at neuron (x/pool, y/pool); default 1
 * </pre>
 *
 * Every problem is an {@link IllegalArgumentException} naming the file, the group and the field;
 * unknown fields are errors too (a misspelt {@code batch_sise} must not silently default).
 */
public final class GroupsFile {

  /** The fields of every group; each model adds its own (see {@link NeuronSpec#fields}). */
  private static final List<String> GROUP_FIELDS =
      List.of("id", "model", "shape", "batch_size", "step_time", "t0", "event_current", "pool");

  private GroupsFile() {}

  /**
   * Loads a groups file.
   *
   * @param file the file, YAML or JSON
   * @return the groups by id, in file order
   * @throws IllegalArgumentException naming the file, group and field of the first problem
   */
  public static Map<String, GroupConfig> load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read groups file " + file + ": " + e, e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("groups file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses the text of a groups file.
   *
   * @param text YAML or JSON
   * @return the groups by id, in file order
   * @throws IllegalArgumentException naming the group and field of the first problem
   */
  public static Map<String, GroupConfig> parse(String text) {
    JsonNode root;
    try {
      ObjectMapper mapper =
          text.stripLeading().startsWith("{") ? new ObjectMapper() : new YAMLMapper();
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML or JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.has("groups")) {
      throw new IllegalArgumentException("must be a mapping with a 'groups' list");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("groups")) {
        throw new IllegalArgumentException("unknown top-level field '" + name + "'");
      }
    }
    JsonNode list = root.get("groups");
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("'groups' must be a non-empty list");
    }
    Map<String, GroupConfig> groups = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode node = list.get(i);
      String where = "group " + i;
      try {
        if (!node.isObject()) {
          throw new IllegalArgumentException("must be a mapping");
        }
        String id = text(node, "id", null);
        where = "group '" + id + "'";
        GroupConfig group = group(node, id);
        if (groups.putIfAbsent(id, group) != null) {
          throw new IllegalArgumentException("'id' is not unique");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return groups;
  }

  private static GroupConfig group(JsonNode node, String id) {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("'id' must not be empty");
    }
    String model = text(node, "model", null);
    if (!NeuronSpec.MODELS.contains(model)) {
      throw new IllegalArgumentException(
          "'model' '"
              + model
              + "' is not known (known: "
              + String.join(", ", NeuronSpec.MODELS)
              + ")");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!GROUP_FIELDS.contains(name) && !fieldsOf(model).contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + name
                + "' (a "
                + model
                + " group has: "
                + String.join(", ", fieldsOf(model))
                + ")");
      }
    }
    long[] shape = shape(node);
    long batchSize = Checks.positive("batch_size", integer(node, "batch_size", 1));
    double stepTime = Checks.positive("step_time", finite(node, "step_time", null));
    NeuronSpec neuron = neuron(model, node, stepTime);
    double t0 = finite(node, "t0", 0.0);
    if (Math.abs(t0) > GroupConfig.MAX_TIME_MS) {
      throw new IllegalArgumentException("'t0' of " + Checks.repr(t0) + " is out of range");
    }
    long neurons = batchSize;
    for (long size : shape) {
      if (neurons > Neuron.MAX_NEURONS / size) {
        throw new IllegalArgumentException(
            "'shape' "
                + Checks.tuple(shape)
                + " with 'batch_size' "
                + batchSize
                + " holds more than "
                + Neuron.MAX_NEURONS
                + " neurons");
      }
      neurons *= size;
    }
    if (batchSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'batch_size' of " + batchSize + " is too large");
    }
    double eventCurrent = finite(node, "event_current", GroupConfig.DEFAULT_EVENT_CURRENT);
    long pool = Checks.positive("pool", integer(node, "pool", 1));
    if (pool > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'pool' of " + pool + " is too large");
    }
    return new GroupConfig(
        id, neuron, shape, (int) batchSize, stepTime, t0, eventCurrent, (int) pool);
  }

  private static List<String> fieldsOf(String model) {
    return switch (model) {
      case NeuronSpec.Lif.NAME -> new NeuronSpec.Lif(0, 0, 0, 0, 0, 0).fields();
      case NeuronSpec.Alif.NAME -> new NeuronSpec.Alif(0, 0, 0, 0, 0, null, null, 0).fields();
      default -> new NeuronSpec.Exact(0, 0).fields();
    };
  }

  /**
   * The model's hyperparameters, checked as neural-core checks them (Inferno's messages, NaN
   * rejected), by making one neuron of the model.
   */
  private static NeuronSpec neuron(String model, JsonNode node, double stepTime) {
    NeuronSpec neuron =
        switch (model) {
          case NeuronSpec.Lif.NAME ->
              new NeuronSpec.Lif(
                  number(node, "rest_v", null),
                  number(node, "reset_v", null),
                  number(node, "thresh_v", null),
                  number(node, "refrac_t", null),
                  number(node, "time_constant", null),
                  number(node, "resistance", 1.0));
          case NeuronSpec.Alif.NAME ->
              new NeuronSpec.Alif(
                  number(node, "rest_v", null),
                  number(node, "reset_v", null),
                  number(node, "thresh_eq_v", null),
                  number(node, "refrac_t", null),
                  number(node, "tc_membrane", null),
                  numbers(node, "tc_adaptation"),
                  numbers(node, "spike_increment"),
                  number(node, "resistance", 1.0));
          default -> {
            double threshV = finite(node, "thresh_v", null);
            double restV =
                Checks.lessThan("rest_v", finite(node, "rest_v", null), "thresh_v", threshV);
            yield new NeuronSpec.Exact(restV, threshV);
          }
        };
    neuron.newNeuron(new long[] {1}, 1, stepTime);
    return neuron;
  }

  /** A number, NaN and infinities included (the model's own checks reject them by name). */
  private static double number(JsonNode node, String field, Double fallback) {
    if (fallback != null && !node.has(field)) {
      return fallback;
    }
    JsonNode value = required(node, field);
    if (!value.isNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be a number, got " + value);
    }
    return value.doubleValue();
  }

  /** A number or a non-empty list of numbers. */
  private static double[] numbers(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (value.isNumber()) {
      return new double[] {value.doubleValue()};
    }
    if (!value.isArray() || value.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + field + "' must be a number or a non-empty list of numbers, got " + value);
    }
    double[] values = new double[value.size()];
    for (int i = 0; i < values.length; i++) {
      if (!value.get(i).isNumber()) {
        throw new IllegalArgumentException(
            "'" + field + "[" + i + "]' must be a number, got " + value.get(i));
      }
      values[i] = value.get(i).doubleValue();
    }
    return values;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String fallback) {
    if (fallback != null && !node.has(field)) {
      return fallback;
    }
    JsonNode value = required(node, field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' must be a string, got " + value);
    }
    return value.textValue();
  }

  private static long integer(JsonNode node, String field, long fallback) {
    if (!node.has(field)) {
      return fallback;
    }
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("'" + field + "' must be an integer, got " + value);
    }
    return value.longValue();
  }

  private static double finite(JsonNode node, String field, Double fallback) {
    if (fallback != null && !node.has(field)) {
      return fallback;
    }
    JsonNode value = required(node, field);
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw new IllegalArgumentException("'" + field + "' must be a finite number, got " + value);
    }
    return value.doubleValue();
  }

  private static long[] shape(JsonNode node) {
    JsonNode value = required(node, "shape");
    if (!value.isArray()) {
      throw new IllegalArgumentException("'shape' must be a list of integers, got " + value);
    }
    long[] shape = new long[value.size()];
    for (int d = 0; d < shape.length; d++) {
      JsonNode size = value.get(d);
      if (!size.isIntegralNumber() || !size.canConvertToLong()) {
        throw new IllegalArgumentException("'shape[" + d + "]' must be an integer, got " + size);
      }
      shape[d] = Checks.positive("shape[" + d + "]", size.longValue());
    }
    return shape;
  }
}
