package io.spikestream.job.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's command-line options, with their defaults in one place and the usage text that
 * {@code --help} prints. Parsing rejects unknown options, missing values and bad numbers with a
 * message that names the option and the value.
 *
 * @param groups the groups file, YAML or JSON
 * @param input a file or directory of JSON-lines input events
 * @param monitor whether to keep watching {@code input} for new files
 * @param monitorIntervalMs how often to look for new files, in ms
 * @param output the output directory; gets {@code spikes/}, {@code late/}, {@code dead-letter/}
 * @param parallelism the job's parallelism; 0 for the environment's default
 * @param emitVoltage whether spike records carry the voltages after each step
 * @param checkpointDir where checkpoints go (a path or URI); default {@code OUTPUT/checkpoints}
 * @param checkpointIntervalMs the checkpoint interval, in ms
 * @param stateBackend {@code hashmap} or {@code rocksdb}
 * @param fromSavepoint a savepoint or retained checkpoint to resume from; or null
 * @param outOfOrdernessMs how far behind the newest event time an event may arrive, in ms
 * @param idlenessMs after how long without events a parallel input stops holding the watermark
 *     back, in ms; 0 never
 * @param help whether {@code --help} was given
 */
public record JobOptions(
    Path groups,
    String input,
    boolean monitor,
    long monitorIntervalMs,
    String output,
    int parallelism,
    boolean emitVoltage,
    String checkpointDir,
    long checkpointIntervalMs,
    String stateBackend,
    String fromSavepoint,
    long outOfOrdernessMs,
    long idlenessMs,
    boolean help)
    implements Serializable {

  /** What {@code --help} prints. */
  public static final String USAGE =
      """
      Usage: java -jar spikestream-job.jar --groups FILE --input PATH --output DIR [options]
             flink run spikestream-job.jar --groups FILE --input PATH --output DIR [options]

      Runs ExactNeuron groups over JSON-lines input-current events in event time and writes
      one spike record per step that received events.

      Required:
        --groups FILE                 groups file, YAML or JSON (see README)
        --input PATH                  input file or directory of JSON lines
        --output DIR                  output directory: spikes/, late/, dead-letter/

      Options:
        --monitor                     keep watching --input for new files (unbounded run)
        --monitor-interval-ms N       how often to look for new files (default 1000)
        --parallelism N               job parallelism (default: the environment's)
        --emit-voltage                add "voltage" (float32, mV, batched shape) to spike records
        --checkpoint-dir DIR          checkpoint storage, path or URI (default OUTPUT/checkpoints);
                                      checkpoints are retained on cancel and on crash
        --checkpoint-interval-ms N    checkpoint interval (default 1000)
        --state-backend NAME          hashmap (default) or rocksdb
        --from-savepoint PATH         resume from a savepoint or a retained checkpoint (chk-N dir)
        --out-of-orderness-ms N       bounded out-of-orderness of event time (default 0)
        --idleness-ms N               a parallel input without events for N ms stops holding the
                                      watermark back (default 1000; 0 = never)
        --help                        print this text
      """;

  private static final List<String> FLAGS = List.of("--monitor", "--emit-voltage", "--help");
  private static final List<String> VALUED =
      List.of(
          "--groups",
          "--input",
          "--output",
          "--monitor-interval-ms",
          "--parallelism",
          "--checkpoint-dir",
          "--checkpoint-interval-ms",
          "--state-backend",
          "--from-savepoint",
          "--out-of-orderness-ms",
          "--idleness-ms");

  /**
   * Parses command-line arguments ({@code --name value}, {@code --name=value}, or a bare flag).
   *
   * @param args the arguments
   * @return the options with defaults filled in
   * @throws IllegalArgumentException naming the bad option and value
   */
  public static JobOptions parse(String... args) {
    Map<String, String> values = new HashMap<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (FLAGS.contains(name)) {
        if (value != null) {
          throw new IllegalArgumentException("option " + name + " takes no value");
        }
        flags.add(name);
      } else if (VALUED.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException("option " + name + " needs a value");
          }
          value = args[++i];
        }
        if (values.put(name, value) != null) {
          throw new IllegalArgumentException("option " + name + " is given twice");
        }
      } else {
        throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    boolean help = flags.contains("--help");
    if (help) {
      return new JobOptions(
          null, null, false, 0, null, 0, false, null, 0, "hashmap", null, 0, 0, true);
    }
    String output = required(values, "--output");
    String backend = values.getOrDefault("--state-backend", "hashmap");
    if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
      throw new IllegalArgumentException(
          "--state-backend '" + backend + "' is not one of: hashmap, rocksdb");
    }
    return new JobOptions(
        Path.of(required(values, "--groups")),
        required(values, "--input"),
        flags.contains("--monitor"),
        number(values, "--monitor-interval-ms", 1000, 1),
        output,
        (int) number(values, "--parallelism", 0, 1, 1024),
        flags.contains("--emit-voltage"),
        values.getOrDefault("--checkpoint-dir", Path.of(output, "checkpoints").toString()),
        number(values, "--checkpoint-interval-ms", 1000, 10),
        backend,
        values.get("--from-savepoint"),
        number(values, "--out-of-orderness-ms", 0, 0),
        number(values, "--idleness-ms", 1000, 0),
        false);
  }

  private static String required(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("option " + name + " is required");
    }
    return value;
  }

  private static long number(Map<String, String> values, String name, long fallback, long min) {
    return number(values, name, fallback, min, Long.MAX_VALUE);
  }

  private static long number(
      Map<String, String> values, String name, long fallback, long min, long max) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + text + "' is not an integer");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " of " + value + " is out of range [" + min + ", " + max + "]");
    }
    return value;
  }
}
