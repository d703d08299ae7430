package io.spikestream.job.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's command-line options, with their defaults in one place and the usage text that {@code
 * --help} prints. Parsing rejects unknown options, missing values, bad numbers and contradicting
 * choices with a message that names the option and the value.
 *
 * @param groups the groups file, YAML or JSON
 * @param input a file or directory of JSON-lines input events; null when reading Kafka
 * @param monitor whether to keep watching {@code input} for new files
 * @param monitorIntervalMs how often to look for new files, in ms
 * @param output the output directory ({@code spikes/}, {@code late/}, {@code dead-letter/}); null
 *     when writing Kafka
 * @param kafka the Kafka brokers and topics; null when the job reads and writes only files
 * @param parallelism the job's parallelism; 0 for the environment's default
 * @param emitVoltage whether spike records carry the voltages after each step
 * @param checkpointDir where checkpoints go (a path or URI); default {@code OUTPUT/checkpoints}
 * @param checkpointIntervalMs the checkpoint interval, in ms
 * @param stateBackend {@code hashmap} or {@code rocksdb}
 * @param fromSavepoint a savepoint or retained checkpoint to resume from; or null
 * @param outOfOrdernessMs how far behind the newest event time an event may arrive, in ms
 * @param idlenessMs after how long without events a parallel input (a file reader, a Kafka
 *     partition) stops holding the watermark back, in ms; 0 never
 * @param watermarkIntervalMs Flink's periodic watermark interval, in ms (processing time): how
 *     often idle inputs are detected; watermarks themselves move with each event
 * @param maxDriftMs how far, in ms of event time, one input split's watermark may run ahead of the
 *     slowest before its reader pauses (Flink's watermark alignment); 0 never pauses, as with
 *     {@code --monitor}
 * @param help whether {@code --help} was given
 */
public record JobOptions(
    Path groups,
    String input,
    boolean monitor,
    long monitorIntervalMs,
    String output,
    KafkaOptions kafka,
    int parallelism,
    boolean emitVoltage,
    String checkpointDir,
    long checkpointIntervalMs,
    String stateBackend,
    String fromSavepoint,
    long outOfOrdernessMs,
    long idlenessMs,
    long watermarkIntervalMs,
    long maxDriftMs,
    boolean help)
    implements Serializable {

  /** What {@code --help} prints. */
  public static final String USAGE =
      """
      Usage: java -jar spikestream-job.jar --groups FILE (--input PATH | --input-topic T)
                                           (--output DIR | --output-topic T) [options]
             flink run spikestream-job.jar ...same options...

      Runs ExactNeuron groups over JSON-lines input-current events in event time and writes
      one spike record per step that received events.

      Required:
        --groups FILE                 groups file, YAML or JSON (see README)
        --input PATH                  input file or directory of JSON lines, or
        --input-topic T               input Kafka topic (needs --kafka-bootstrap)
        --output DIR                  output directory: spikes/, late/, dead-letter/, or
        --output-topic T              Kafka topic of spike records (needs --kafka-bootstrap);
                                      written exactly once, read it with read_committed

      Kafka:
        --kafka-bootstrap HOST:PORT   Kafka brokers
        --late-topic T                topic of late events (default OUTPUT_TOPIC-late)
        --dead-letter-topic T         topic of dead letters (default OUTPUT_TOPIC-dead-letter)
        --kafka-group-id ID           consumer group of the input (default spikestream)
        --kafka-transaction-timeout-ms N
                                      output transaction timeout (default 600000); at most the
                                      brokers' transaction.max.timeout.ms

      Options:
        --monitor                     keep watching --input for new files (unbounded run)
        --monitor-interval-ms N       how often to look for new files (default 1000)
        --parallelism N               job parallelism (default: the environment's)
        --emit-voltage                add "voltage" (float32, mV, batched shape) to spike records
        --checkpoint-dir DIR          checkpoint storage, path or URI (default OUTPUT/checkpoints;
                                      required with --output-topic); checkpoints are retained
                                      on cancel and on crash
        --checkpoint-interval-ms N    checkpoint interval (default 1000)
        --state-backend NAME          hashmap (default) or rocksdb
        --from-savepoint PATH         resume from a savepoint or a retained checkpoint (chk-N dir)
        --out-of-orderness-ms N       bounded out-of-orderness of event time (default 0)
        --idleness-ms N               an input file reader or Kafka partition without events for
                                      N ms stops holding the watermark back (default 1000;
                                      0 = never)
        --watermark-interval-ms N     how often idle inputs are looked for (default 200);
                                      watermarks themselves move with each event
        --max-drift-ms N              an input file reader or Kafka partition whose event time
                                      runs N ms ahead of the slowest pauses until it catches up
                                      (default 0 = never): bounds the steps waiting in memory
                                      and in each checkpoint when inputs are replayed at full
                                      speed, but Flink 2.2 then reads at most N/10 ms of event
                                      time per ms; not with --monitor
        --help                        print this text
      """;

  private static final List<String> FLAGS = List.of("--monitor", "--emit-voltage", "--help");
  private static final List<String> VALUED =
      List.of(
          "--groups",
          "--input",
          "--input-topic",
          "--output",
          "--output-topic",
          "--kafka-bootstrap",
          "--late-topic",
          "--dead-letter-topic",
          "--kafka-group-id",
          "--kafka-transaction-timeout-ms",
          "--monitor-interval-ms",
          "--parallelism",
          "--checkpoint-dir",
          "--checkpoint-interval-ms",
          "--state-backend",
          "--from-savepoint",
          "--out-of-orderness-ms",
          "--idleness-ms",
          "--watermark-interval-ms",
          "--max-drift-ms");

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
          null, null, false, 0, null, null, 0, false, null, 0, "hashmap", null, 0, 0, 0, 0, true);
    }
    String input = oneOf(values, "--input", "--input-topic");
    String output = oneOf(values, "--output", "--output-topic");
    if (flags.contains("--monitor") && input == null) {
      throw new IllegalArgumentException("option --monitor needs --input (files), not a topic");
    }
    String backend = values.getOrDefault("--state-backend", "hashmap");
    if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
      throw new IllegalArgumentException(
          "--state-backend '" + backend + "' is not one of: hashmap, rocksdb");
    }
    String checkpointDir = values.get("--checkpoint-dir");
    if (checkpointDir == null) {
      if (output == null) {
        throw new IllegalArgumentException(
            "option --checkpoint-dir is required with --output-topic");
      }
      checkpointDir = Path.of(output, "checkpoints").toString();
    }
    return new JobOptions(
        Path.of(required(values, "--groups")),
        input,
        flags.contains("--monitor"),
        number(values, "--monitor-interval-ms", 1000, 1),
        output,
        kafka(values),
        (int) number(values, "--parallelism", 0, 1, 1024),
        flags.contains("--emit-voltage"),
        checkpointDir,
        number(values, "--checkpoint-interval-ms", 1000, 10),
        backend,
        values.get("--from-savepoint"),
        number(values, "--out-of-orderness-ms", 0, 0),
        number(values, "--idleness-ms", 1000, 0),
        number(values, "--watermark-interval-ms", 200, 1, 60_000),
        maxDrift(values, flags.contains("--monitor")),
        false);
  }

  /**
   * The watermark alignment drift, 0 (off) by default; not while watching a directory: Flink 2.2
   * keeps a file reader that finished its file and waits for the next at its last watermark, and
   * alignment would then pause the reader of a new file forever.
   */
  private static long maxDrift(Map<String, String> values, boolean monitor) {
    long drift = number(values, "--max-drift-ms", 0, 0);
    if (monitor && drift > 0) {
      throw new IllegalArgumentException(
          "option --max-drift-ms cannot be used with --monitor: a "
              + "file reader waiting for new files would hold the other readers back for good");
    }
    return drift;
  }

  /** The Kafka options, or null if no topic is given; rejects Kafka options without a topic. */
  private static KafkaOptions kafka(Map<String, String> values) {
    String inputTopic = values.get("--input-topic");
    String outputTopic = values.get("--output-topic");
    List<String> kafkaOnly =
        List.of(
            "--kafka-bootstrap",
            "--late-topic",
            "--dead-letter-topic",
            "--kafka-group-id",
            "--kafka-transaction-timeout-ms");
    if (inputTopic == null && outputTopic == null) {
      for (String name : kafkaOnly) {
        if (values.containsKey(name)) {
          throw new IllegalArgumentException(
              "option " + name + " needs --input-topic or --output-topic");
        }
      }
      return null;
    }
    for (String name :
        List.of("--late-topic", "--dead-letter-topic", "--kafka-transaction-timeout-ms")) {
      if (outputTopic == null && values.containsKey(name)) {
        throw new IllegalArgumentException("option " + name + " needs --output-topic");
      }
    }
    if (inputTopic == null && values.containsKey("--kafka-group-id")) {
      throw new IllegalArgumentException("option --kafka-group-id needs --input-topic");
    }
    String bootstrap = values.get("--kafka-bootstrap");
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "option --kafka-bootstrap is required with --input-topic or --output-topic");
    }
    return new KafkaOptions(
        bootstrap,
        inputTopic,
        outputTopic,
        outputTopic == null
            ? null
            : values.getOrDefault("--late-topic", KafkaOptions.defaultLateTopic(outputTopic)),
        outputTopic == null
            ? null
            : values.getOrDefault(
                "--dead-letter-topic", KafkaOptions.defaultDeadLetterTopic(outputTopic)),
        values.getOrDefault("--kafka-group-id", "spikestream"),
        number(values, "--kafka-transaction-timeout-ms", 600_000, 1000));
  }

  /** The value of exactly one of two alternative options. */
  private static String oneOf(Map<String, String> values, String files, String topic) {
    String file = values.get(files);
    String kafka = values.get(topic);
    if (file != null && kafka != null) {
      throw new IllegalArgumentException(
          "options " + files + " and " + topic + " exclude each other; give one");
    }
    if (file == null && kafka == null) {
      throw new IllegalArgumentException("option " + files + " or " + topic + " is required");
    }
    if ((file != null && file.isBlank()) || (kafka != null && kafka.isBlank())) {
      throw new IllegalArgumentException(
          "option " + (file != null ? files : topic) + " must not be blank");
    }
    return file;
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
