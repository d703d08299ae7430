package io.spikestream.job.config;

import io.spikestream.job.io.camera.CameraFormat;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The job's command line as typed options: the one definition of every option's name, value,
 * default and meaning, from which both {@code --help} and the option table in {@code
 * docs/options.md} are made (a test fails when the table differs). {@link #toOptions} turns the
 * parsed values into {@link JobOptions}, checking ranges and combinations.
 *
 * <p>The sections are picocli argument groups without validation: they only order the help text.
 */
@Command(
    name = "spikestream",
    sortOptions = false,
    synopsisHeading = "",
    showDefaultValues = true,
    usageHelpWidth = 100,
    customSynopsis = {
      "Usage: java -jar spikestream-job.jar --groups FILE (--input PATH | --input-topic T)",
      "                                     (--output DIR | --output-topic T) [options]",
      "       java -jar spikestream-job.jar plot --output DIR --png FILE [options]",
      "       flink run spikestream-job.jar ...the same options...",
    },
    description = {
      "",
      "Runs neuron groups over input-current events in event time and writes one spike record per"
          + " step that received events. Progress and a summary go to stderr.",
    })
public final class JobArguments {

  /** The options a run needs. */
  static final class Required {
    @Option(
        names = "--groups",
        paramLabel = "FILE",
        order = 1,
        description = "groups file, YAML or JSON (see docs/formats.md)")
    String groups;

    @Option(
        names = "--input",
        paramLabel = "PATH",
        order = 2,
        description = "input file or directory of JSON lines, or")
    String input;

    @Option(
        names = "--input-topic",
        paramLabel = "T",
        order = 3,
        description = "input Kafka topic (needs --kafka-bootstrap)")
    String inputTopic;

    @Option(
        names = "--output",
        paramLabel = "DIR",
        order = 4,
        description =
            "output directory: gets spikes/, late/, dead-letter/; must hold no results yet (see"
                + " --overwrite), or")
    String output;

    @Option(
        names = "--output-topic",
        paramLabel = "T",
        order = 5,
        description =
            "Kafka topic of spike records (needs --kafka-bootstrap); written exactly once, read it"
                + " with read_committed")
    String outputTopic;
  }

  /** Reading the input. */
  static final class Input {
    @Option(
        names = "--input-format",
        paramLabel = "F",
        order = 8,
        defaultValue = "json",
        description =
            "json (JSON lines), or an event-camera format: evt2, evt3, dat (Prophesee), aedat4"
                + " (iniVation), csv (t,x,y,p), npy (NumPy); for files and Kafka record values")
    String format;

    @Option(
        names = "--input-group",
        paramLabel = "ID",
        order = 9,
        description =
            "the group that every event of an event-camera input goes to (required with such a"
                + " format)")
    String group;

    @Option(
        names = "--monitor",
        order = 10,
        description = "keep watching --input for new files (an unbounded run)")
    boolean monitor;

    @Option(
        names = "--monitor-interval-ms",
        paramLabel = "N",
        order = 11,
        defaultValue = "1000",
        description = "how often to look for new files, in ms")
    long monitorIntervalMs;
  }

  /** Kafka brokers and topics. */
  static final class Kafka {
    @Option(
        names = "--kafka-bootstrap",
        paramLabel = "HOST:PORT",
        order = 20,
        description = "Kafka brokers")
    String bootstrap;

    @Option(
        names = "--late-topic",
        paramLabel = "T",
        order = 21,
        description = "topic of late events (default OUTPUT_TOPIC-late)")
    String lateTopic;

    @Option(
        names = "--dead-letter-topic",
        paramLabel = "T",
        order = 22,
        description = "topic of dead letters (default OUTPUT_TOPIC-dead-letter)")
    String deadLetterTopic;

    @Option(
        names = "--kafka-group-id",
        paramLabel = "ID",
        order = 23,
        defaultValue = "spikestream",
        description = "consumer group of the input topic")
    String groupId;

    @Option(
        names = "--kafka-transaction-timeout-ms",
        paramLabel = "N",
        order = 24,
        defaultValue = "600000",
        description =
            "timeout of the output transactions, in ms; at most the brokers'"
                + " transaction.max.timeout.ms")
    long transactionTimeoutMs;
  }

  /** What the output holds. */
  static final class Output {
    @Option(
        names = "--overwrite",
        order = 30,
        description =
            "empty spikes/, late/ and dead-letter/ of --output before the run (checkpoints/ is"
                + " kept)")
    boolean overwrite;

    @Option(
        names = "--emit-voltage",
        order = 31,
        description = "add \"voltage\" (float32, mV, batched shape) to spike records")
    boolean emitVoltage;
  }

  /** Event time: watermarks and when steps run. */
  static final class EventTime {
    @Option(
        names = "--out-of-orderness-ms",
        paramLabel = "N",
        order = 40,
        defaultValue = "0",
        description = "how far behind the newest event time an event may arrive, in ms")
    long outOfOrdernessMs;

    @Option(
        names = "--idleness-ms",
        paramLabel = "N",
        order = 41,
        defaultValue = "1000",
        description =
            "an input file or Kafka partition without events for N ms stops holding the watermark"
                + " back (0 = never)")
    long idlenessMs;

    @Option(
        names = "--watermark-interval-ms",
        paramLabel = "N",
        order = 42,
        defaultValue = "200",
        description =
            "how often idle inputs are looked for, in ms; watermarks themselves move with each"
                + " event")
    long watermarkIntervalMs;

    @Option(
        names = "--max-drift-ms",
        paramLabel = "N",
        order = 43,
        defaultValue = "0",
        description =
            "an input file reader or Kafka partition whose event time runs N ms ahead of the"
                + " slowest pauses until it catches up (0 = never); Flink 2.2 then reads at most"
                + " N/10 ms of event time per ms; not with --monitor")
    long maxDriftMs;

    @Option(
        names = "--flush-idle-ms",
        paramLabel = "N",
        order = 44,
        defaultValue = "0",
        description =
            "when no event has arrived for N ms of wall-clock time, run every pending step now;"
                + " events that arrive later for a step that ran are late (0 = never)")
    long flushIdleMs;
  }

  /** Checkpoints and resuming. */
  static final class State {
    @Option(
        names = "--checkpoint-dir",
        paramLabel = "DIR",
        order = 50,
        description =
            "checkpoint storage, path or URI (default OUTPUT/checkpoints; required with"
                + " --output-topic); checkpoints are retained on cancel and on crash, savepoints go"
                + " to its savepoints/")
    String checkpointDir;

    @Option(
        names = "--checkpoint-interval-ms",
        paramLabel = "N",
        order = 51,
        defaultValue = "1000",
        description = "checkpoint interval, in ms")
    long checkpointIntervalMs;

    @Option(
        names = "--state-backend",
        paramLabel = "NAME",
        order = 52,
        defaultValue = "hashmap",
        description = "hashmap or rocksdb")
    String stateBackend;

    @Option(
        names = "--from-savepoint",
        paramLabel = "PATH",
        order = 53,
        description = "resume from a savepoint or a retained checkpoint (its chk-N directory)")
    String fromSavepoint;
  }

  /** The run itself: parallelism, what it prints, metrics. */
  static final class Run {
    @Option(
        names = "--parallelism",
        paramLabel = "N",
        order = 60,
        description = "job parallelism (default: the environment's; 2 embedded on 2 cores)")
    Integer parallelism;

    @Option(
        names = "--progress-interval-ms",
        paramLabel = "N",
        order = 61,
        defaultValue = "5000",
        description = "how often a progress line goes to stderr, in ms")
    long progressIntervalMs;

    @Option(
        names = "--quiet",
        order = 62,
        description =
            "no start lines, progress or summary on stderr; errors, the resume line and the done"
                + " line stay")
    boolean quiet;

    @Option(
        names = "--metrics-port",
        paramLabel = "N",
        order = 63,
        description =
            "serve Flink's metrics, the job's counters among them, in Prometheus' text format on"
                + " http://127.0.0.1:N/metrics")
    Integer metricsPort;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        order = 64,
        description = "print this text")
    boolean help;
  }

  @ArgGroup(validate = false, heading = "%nRequired:%n", order = 1)
  Required required = new Required();

  @ArgGroup(validate = false, heading = "%nInput:%n", order = 2)
  Input input = new Input();

  @ArgGroup(validate = false, heading = "%nKafka:%n", order = 3)
  Kafka kafka = new Kafka();

  @ArgGroup(validate = false, heading = "%nOutput:%n", order = 4)
  Output output = new Output();

  @ArgGroup(validate = false, heading = "%nEvent time:%n", order = 5)
  EventTime eventTime = new EventTime();

  @ArgGroup(validate = false, heading = "%nState:%n", order = 6)
  State state = new State();

  @ArgGroup(validate = false, heading = "%nRun:%n", order = 7)
  Run run = new Run();

  /**
   * A command line over new arguments, as the job parses it: options are case-sensitive, {@code
   * --name value} or {@code --name=value}, each at most once.
   *
   * @return the command line; its command object is a new {@code JobArguments}
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new JobArguments());
    cli.setOverwrittenOptionsAllowed(false);
    cli.setUnmatchedArgumentsAllowed(false);
    return cli;
  }

  /**
   * The option table of {@code docs/options.md}, made from these definitions: one row per option,
   * under a row per section, with its value, default and meaning.
   *
   * @return a Markdown table
   */
  public static String optionsTable() {
    StringBuilder table = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
    for (CommandLine.Model.ArgGroupSpec group : commandLine().getCommandSpec().argGroups()) {
      String heading = group.heading().replace("%n", "").replace(":", "").trim();
      table.append("| **").append(heading).append("** | | |\n");
      for (CommandLine.Model.OptionSpec option : group.options()) {
        String names = String.join(", ", option.names());
        String value = option.typeInfo().isBoolean() ? "" : " " + option.paramLabel();
        String fallback = option.defaultValue() == null ? "" : "`" + option.defaultValue() + "`";
        table
            .append("| `")
            .append(names)
            .append(value)
            .append("` | ")
            .append(fallback)
            .append(" | ")
            .append(String.join(" ", option.description()).replace("|", "\\|"))
            .append(" |\n");
      }
    }
    return table.toString();
  }

  /**
   * A command-line error in one line: picocli's message, or for a misspelt option the option and
   * the ones it may have meant.
   *
   * @param e what picocli threw
   * @return for example {@code unknown option '--paralelism' (did you mean --parallelism?)}
   */
  public static String describe(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      String kind = first.startsWith("-") ? "unknown option" : "unexpected argument";
      List<String> suggestions = unmatched.getSuggestions();
      return kind
          + " '"
          + first
          + "'"
          + (suggestions.isEmpty()
              ? ""
              : " (did you mean " + String.join(" or ", suggestions) + "?)");
    }
    return e.getMessage();
  }

  /**
   * Whether {@code -h} or {@code --help} was given.
   *
   * @return true to print the usage and stop
   */
  public boolean helpRequested() {
    return run.help;
  }

  /**
   * The parsed options, checked.
   *
   * @param parsed what picocli matched on the command line that filled these arguments
   * @return the options with defaults filled in
   * @throws IllegalArgumentException naming the option and the bad value or combination
   */
  public JobOptions toOptions(ParseResult parsed) {
    rejectRepeats(parsed);
    String inputPath = oneOf("--input", required.input, "--input-topic", required.inputTopic);
    String outputDir = oneOf("--output", required.output, "--output-topic", required.outputTopic);
    if (required.groups == null || required.groups.isBlank()) {
      throw new IllegalArgumentException("option --groups is required");
    }
    if (input.monitor && inputPath == null) {
      throw new IllegalArgumentException("option --monitor needs --input (files), not a topic");
    }
    if (output.overwrite && outputDir == null) {
      throw new IllegalArgumentException("option --overwrite needs --output (files), not a topic");
    }
    String backend = state.stateBackend;
    if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
      throw new IllegalArgumentException(
          "--state-backend '" + backend + "' is not one of: hashmap, rocksdb");
    }
    String checkpointDir = state.checkpointDir;
    if (checkpointDir == null) {
      if (outputDir == null) {
        throw new IllegalArgumentException(
            "option --checkpoint-dir is required with --output-topic");
      }
      checkpointDir = java.nio.file.Path.of(outputDir, "checkpoints").toString();
    } else if (checkpointDir.isBlank()) {
      throw new IllegalArgumentException("option --checkpoint-dir must not be blank");
    }
    long maxDrift = range("--max-drift-ms", eventTime.maxDriftMs, 0, Long.MAX_VALUE);
    if (input.monitor && maxDrift > 0) {
      // Flink 2.2 keeps a file reader that finished its file and waits for the next at its last
      // watermark (for alignment, which does not see idleness), so the reader of a new file
      // would be paused forever
      throw new IllegalArgumentException(
          "option --max-drift-ms cannot be used with --monitor: a file reader waiting for new"
              + " files would hold the other readers back for good");
    }
    String format = input.format.strip().toLowerCase(java.util.Locale.ROOT);
    if (!format.equals(JobOptions.JSON)) {
      CameraFormat.of(format); // names the known formats if it is none of them
      if (input.group == null || input.group.isBlank()) {
        throw new IllegalArgumentException(
            "option --input-group is required with --input-format " + format);
      }
    } else if (input.group != null) {
      throw new IllegalArgumentException(
          "option --input-group needs an event-camera --input-format (JSON lines name their"
              + " group)");
    }
    return new JobOptions(
        java.nio.file.Path.of(required.groups),
        inputPath,
        format,
        input.group,
        input.monitor,
        range("--monitor-interval-ms", input.monitorIntervalMs, 1, Long.MAX_VALUE),
        outputDir,
        output.overwrite,
        kafka(parsed),
        run.parallelism == null ? 0 : (int) range("--parallelism", run.parallelism, 1, 1024),
        output.emitVoltage,
        checkpointDir,
        range("--checkpoint-interval-ms", state.checkpointIntervalMs, 10, Long.MAX_VALUE),
        backend,
        blankToNull("--from-savepoint", state.fromSavepoint),
        range("--out-of-orderness-ms", eventTime.outOfOrdernessMs, 0, Long.MAX_VALUE),
        range("--idleness-ms", eventTime.idlenessMs, 0, Long.MAX_VALUE),
        range("--watermark-interval-ms", eventTime.watermarkIntervalMs, 1, 60_000),
        maxDrift,
        range("--flush-idle-ms", eventTime.flushIdleMs, 0, Long.MAX_VALUE),
        range("--progress-interval-ms", run.progressIntervalMs, 100, Long.MAX_VALUE),
        run.quiet,
        run.metricsPort == null ? 0 : (int) range("--metrics-port", run.metricsPort, 1, 65535));
  }

  /**
   * Rejects an option given twice: picocli lets options inside argument groups repeat, the last one
   * winning, which would hide a mistake such as two different {@code --parallelism} values.
   */
  private static void rejectRepeats(ParseResult parsed) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (CommandLine.Model.OptionSpec option : parsed.commandSpec().options()) {
      names.addAll(java.util.Arrays.asList(option.names()));
    }
    for (String arg : parsed.originalArgs()) {
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (names.contains(name) && !seen.add(name)) {
        throw new IllegalArgumentException("option " + name + " is given twice");
      }
    }
  }

  /** The Kafka options, or null if no topic is given; rejects Kafka options without a topic. */
  private KafkaOptions kafka(ParseResult parsed) {
    String inputTopic = required.inputTopic;
    String outputTopic = required.outputTopic;
    boolean groupIdGiven = parsed.hasMatchedOption("--kafka-group-id");
    boolean timeoutGiven = parsed.hasMatchedOption("--kafka-transaction-timeout-ms");
    if (inputTopic == null && outputTopic == null) {
      String given =
          kafka.bootstrap != null
              ? "--kafka-bootstrap"
              : kafka.lateTopic != null
                  ? "--late-topic"
                  : kafka.deadLetterTopic != null
                      ? "--dead-letter-topic"
                      : groupIdGiven
                          ? "--kafka-group-id"
                          : timeoutGiven ? "--kafka-transaction-timeout-ms" : null;
      if (given != null) {
        throw new IllegalArgumentException(
            "option " + given + " needs --input-topic or --output-topic");
      }
      return null;
    }
    if (outputTopic == null) {
      String given =
          kafka.lateTopic != null
              ? "--late-topic"
              : kafka.deadLetterTopic != null
                  ? "--dead-letter-topic"
                  : timeoutGiven ? "--kafka-transaction-timeout-ms" : null;
      if (given != null) {
        throw new IllegalArgumentException("option " + given + " needs --output-topic");
      }
    }
    if (inputTopic == null && groupIdGiven) {
      throw new IllegalArgumentException("option --kafka-group-id needs --input-topic");
    }
    if (kafka.bootstrap == null || kafka.bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "option --kafka-bootstrap is required with --input-topic or --output-topic");
    }
    return new KafkaOptions(
        kafka.bootstrap,
        inputTopic,
        outputTopic,
        outputTopic == null
            ? null
            : kafka.lateTopic != null
                ? kafka.lateTopic
                : KafkaOptions.defaultLateTopic(outputTopic),
        outputTopic == null
            ? null
            : kafka.deadLetterTopic != null
                ? kafka.deadLetterTopic
                : KafkaOptions.defaultDeadLetterTopic(outputTopic),
        kafka.groupId,
        range("--kafka-transaction-timeout-ms", kafka.transactionTimeoutMs, 1000, Long.MAX_VALUE));
  }

  /** The value of exactly one of two alternative options: the first's, or null for the second. */
  private static String oneOf(String first, String firstValue, String second, String secondValue) {
    if (firstValue != null && secondValue != null) {
      throw new IllegalArgumentException(
          "options " + first + " and " + second + " exclude each other; give one");
    }
    if (firstValue == null && secondValue == null) {
      throw new IllegalArgumentException("option " + first + " or " + second + " is required");
    }
    String given = firstValue != null ? firstValue : secondValue;
    if (given.isBlank()) {
      throw new IllegalArgumentException(
          "option " + (firstValue != null ? first : second) + " must not be blank");
    }
    return firstValue;
  }

  private static String blankToNull(String name, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException("option " + name + " must not be blank");
    }
    return value;
  }

  private static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " of " + value + " is out of range [" + min + ", " + max + "]");
    }
    return value;
  }
}
