package io.spikestream.job.config;

import java.io.Serializable;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The job's options, parsed and checked: what {@link JobArguments} defines, as values. Parsing
 * rejects unknown options, missing values, bad numbers and contradicting choices with a message
 * that names the option and the value.
 *
 * @param groups the groups file, YAML or JSON
 * @param input a file or directory of input events; null when reading Kafka
 * @param inputFormat {@code json}, or an event-camera format's name ({@code evt3}, ...): of the
 *     files and of Kafka record values
 * @param inputGroup the group every event of an event-camera input goes to; null for JSON
 * @param monitor whether to keep watching {@code input} for new files
 * @param monitorIntervalMs how often to look for new files, in ms
 * @param output the output directory ({@code spikes/}, {@code late/}, {@code dead-letter/}); null
 *     when writing Kafka
 * @param overwrite whether to empty the output's result directories before the run
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
 * @param flushIdleMs after how many ms of wall-clock time without an event every pending step runs;
 *     0 never
 * @param progressIntervalMs how often a progress line is printed, in ms
 * @param quiet whether to print no start lines, progress or summary
 * @param metricsPort the port of the Prometheus endpoint; 0 for none
 */
public record JobOptions(
    Path groups,
    String input,
    String inputFormat,
    String inputGroup,
    boolean monitor,
    long monitorIntervalMs,
    String output,
    boolean overwrite,
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
    long flushIdleMs,
    long progressIntervalMs,
    boolean quiet,
    int metricsPort)
    implements Serializable {

  /** The input format of JSON lines, the default. */
  public static final String JSON = "json";

  /**
   * The event-camera format of the input.
   *
   * @return the format; null for JSON lines
   */
  public io.spikestream.job.io.camera.CameraFormat cameraFormat() {
    return inputFormat.equals(JSON)
        ? null
        : io.spikestream.job.io.camera.CameraFormat.of(inputFormat);
  }

  /**
   * What {@code --help} and {@code -h} print.
   *
   * @return the usage text, made from {@link JobArguments}
   */
  public static String usage() {
    return JobArguments.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /**
   * Parses command-line arguments ({@code --name value}, {@code --name=value}, or a bare flag).
   *
   * @param args the arguments, without {@code -h}/{@code --help} or a subcommand
   * @return the options with defaults filled in
   * @throws IllegalArgumentException naming the bad option and value
   */
  public static JobOptions parse(String... args) {
    CommandLine cli = JobArguments.commandLine();
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(JobArguments.describe(e), e);
    }
    JobArguments arguments = cli.getCommand();
    if (arguments.helpRequested()) {
      throw new IllegalArgumentException("--help asks for the usage, not a run");
    }
    return arguments.toOptions(parsed);
  }
}
