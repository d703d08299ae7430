package io.spikestream.job;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.config.KafkaOptions;
import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.InputEventTypeInfo;
import io.spikestream.job.event.LateEvent;
import io.spikestream.job.event.ParsedLine;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.io.camera.CameraFormat;
import io.spikestream.job.operator.EventRouter;
import io.spikestream.job.operator.NeuronStateSerializers;
import io.spikestream.job.operator.NeuronStepOperator;
import io.spikestream.job.operator.StepWatermarks;
import io.spikestream.job.run.JobRun;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spikestream job: JSON-lines input-current events in, per group and step an ExactNeuron step
 * in event time, spike records out; late events and unroutable lines to their own outputs.
 *
 * <p>The job takes its source and sinks, so tests can wire their own; {@link #main} reads the
 * options and wires files.
 */
public final class SpikestreamJob {

  /** How often the JobManager announces the alignment bound to the readers, in ms. */
  static final long ALIGNMENT_UPDATE_MS = 10;

  /** The watermark alignment group of the input's splits (the JobManager logs its bounds). */
  public static final String ALIGNMENT_GROUP = "spikestream-input";

  private final Map<String, GroupConfig> groups;
  private final JobOptions options;
  private final Source<ParsedLine, ?, ?> input;
  private final Sink<SpikeRecord> spikeSink;
  private final Sink<String> lateSink;
  private final Sink<String> deadLetterSink;
  private UnaryOperator<DataStream<InputEvent>> eventTap = UnaryOperator.identity();

  /**
   * @param groups the neuron groups by id
   * @param options the job options (event time, voltage output)
   * @param input the source of input lines, parsed (see {@link JobIo})
   * @param spikeSink where spike records go (the sink formats them, see {@link JobIo})
   * @param lateSink where late events go, as JSON lines
   * @param deadLetterSink where unroutable lines go, as JSON lines
   */
  public SpikestreamJob(
      Map<String, GroupConfig> groups,
      JobOptions options,
      Source<ParsedLine, ?, ?> input,
      Sink<SpikeRecord> spikeSink,
      Sink<String> lateSink,
      Sink<String> deadLetterSink) {
    this.groups = groups;
    this.options = options;
    this.input = input;
    this.spikeSink = spikeSink;
    this.lateSink = lateSink;
    this.deadLetterSink = deadLetterSink;
  }

  /**
   * Inserts an operator between routing and the neuron steps, for tests that inject faults or pace
   * the stream; it must keep each event's timestamp (map and filter do).
   *
   * @param tap applied to the stream of parsed events
   * @return this job
   */
  public SpikestreamJob withEventTap(UnaryOperator<DataStream<InputEvent>> tap) {
    this.eventTap = tap;
    return this;
  }

  /**
   * The input's event time: bounded out-of-orderness watermarks per input split, idle splits left
   * out after {@code --idleness-ms}, and, if aligned, splits more than {@code --max-drift-ms} ahead
   * of the slowest paused (watermark alignment).
   *
   * <p>Why alignment: a step runs only once every split's watermark has passed it, so the events a
   * faster split reads ahead wait in the operator, in memory and in every checkpoint, with nothing
   * else to stop that reader (the operator keeps up, so there is no backpressure). Replaying files
   * of dense frames, two readers drifted hundreds of ms of event time apart, and a checkpoint wrote
   * thousands of waiting steps. Why not by default: Flink 2.2 pauses a split that passes the drift
   * before the next alignment update, so even a single reader is read at most drift/update-interval
   * ms of event time per ms (FLINK-37399, fixed in 2.3): at 100 ms and 10 ms updates, a replay of
   * events spread over hours of event time could run no faster than 10x real time. Updates every
   * {@value #ALIGNMENT_UPDATE_MS} ms keep that cap as high as is cheap.
   *
   * <p>Kafka readers pause single partitions; the file source's reader can only be paused as a
   * whole, which TaskManagers allow only with {@code
   * pipeline.watermark-alignment.allow-unaligned-source-splits: true} in their configuration (set
   * for the embedded cluster and in {@code docker/}); without it, file input is not aligned.
   *
   * @param options the job's options
   * @param aligned whether to align the input's splits within {@code --max-drift-ms}
   * @return the watermark strategy of the input
   */
  static WatermarkStrategy<ParsedLine> eventTime(JobOptions options, boolean aligned) {
    long outOfOrdernessMs = options.outOfOrdernessMs(); // the lambda must not capture options
    WatermarkStrategy<ParsedLine> eventTime =
        WatermarkStrategy.<ParsedLine>forGenerator(context -> new StepWatermarks(outOfOrdernessMs))
            .withTimestampAssigner((line, previous) -> line.timestampMs());
    if (options.idlenessMs() > 0) {
      eventTime = eventTime.withIdleness(Duration.ofMillis(options.idlenessMs()));
    }
    if (aligned && options.maxDriftMs() > 0) {
      eventTime =
          eventTime.withWatermarkAlignment(
              ALIGNMENT_GROUP,
              Duration.ofMillis(options.maxDriftMs()),
              Duration.ofMillis(ALIGNMENT_UPDATE_MS));
    }
    return eventTime;
  }

  /**
   * Builds the pipeline into an environment.
   *
   * @param env the environment to build into
   */
  public void build(StreamExecutionEnvironment env) {
    NeuronStateSerializers.register(env.getConfig().getSerializerConfig());

    // ---- input lines, parsed; event time per input split (file, Kafka partition) ----
    boolean aligned =
        options.maxDriftMs() > 0
            && (options.input() == null
                || env.getConfiguration().get(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS));
    if (options.maxDriftMs() > 0 && !aligned) {
      // a logger made here, not in a static field: loading this class (the jar's main class) must
      // not start Log4j before the run has pointed it at its log file
      Logger log = LoggerFactory.getLogger(SpikestreamJob.class);
      log.warn(
          "Input readers are not aligned (--max-drift-ms): a file reader can only be paused"
              + " as a whole, which this cluster does not allow; set {}: true in its configuration",
          PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS.key());
    }
    DataStream<ParsedLine> lines =
        env.fromSource(input, eventTime(options, aligned), "input").uid("input");

    // ---- route; lines that fit no group go to the dead letters ----
    SingleOutputStreamOperator<InputEvent> events =
        lines
            .process(new EventRouter(), new InputEventTypeInfo(groups.keySet()))
            .uid("router")
            .name("router");
    DataStream<InputEvent> timed = eventTap.apply(events);

    // ---- the neuron steps, keyed by group ----
    SingleOutputStreamOperator<SpikeRecord> spikes =
        timed
            .keyBy(event -> event.group)
            .transform(
                "neuron-steps",
                TypeInformation.of(SpikeRecord.class),
                new NeuronStepOperator(groups, options.emitVoltage(), options.flushIdleMs()))
            .uid("neuron-steps")
            .name("neuron-steps");

    // ---- outputs, as JSON lines (the spike sink formats its records itself) ----
    spikes.sinkTo(spikeSink).uid("spikes-sink").name("spikes");
    spikes
        .getSideOutput(NeuronStepOperator.LATE)
        .map((LateEvent late) -> EventCodec.format(late))
        .uid("format-late")
        .name("format-late")
        .sinkTo(lateSink)
        .uid("late-sink")
        .name("late");
    events
        .getSideOutput(EventRouter.DEAD_LETTER)
        .map((DeadLetter letter) -> EventCodec.format(letter))
        .uid("format-dead-letter")
        .name("format-dead-letter")
        .sinkTo(deadLetterSink)
        .uid("dead-letter-sink")
        .name("dead-letter");
  }

  /**
   * The Flink configuration that the options ask for: checkpoints (retained on cancel and crash),
   * state backend, savepoint to resume from, restarts, and an embedded cluster bound to loopback.
   *
   * @param options the job options
   * @return the configuration
   */
  public static Configuration configuration(JobOptions options) {
    Configuration config = new Configuration();
    config.set(
        CheckpointingOptions.CHECKPOINTING_INTERVAL,
        Duration.ofMillis(options.checkpointIntervalMs()));
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, toUri(options.checkpointDir()));
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    config.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    // events travel between tasks with their group as its index in the groups file
    // (InputEventSerializer): events in flight that an unaligned checkpoint stored would be read
    // under other groups after a restore with an edited groups file; a cluster's setting of its
    // own is overridden by this job's
    config.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
    config.set(StateBackendOptions.STATE_BACKEND, options.stateBackend());
    // no function keeps a reference to a record it was given after it returns (the neuron step
    // copies an event's numbers into its pending input), so chained operators may pass records
    // on without a deep copy each
    config.set(PipelineOptions.OBJECT_REUSE, true);
    // for watermark alignment the embedded cluster may pause a file reader as a whole (it cannot
    // pause one split; Kafka's readers pause single partitions); TaskManagers read this from
    // their own configuration, so a real cluster decides it itself (see build)
    config.set(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS, true);
    config.set(
        PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(options.watermarkIntervalMs()));
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
    config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    if (options.fromSavepoint() != null) {
      config.set(StateRecoveryOptions.SAVEPOINT_PATH, toUri(options.fromSavepoint()));
    }
    // the embedded cluster listens on loopback only; a real cluster ignores these
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "8081-8181");
    config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    config.set(TaskManagerOptions.HOST, "127.0.0.1");
    config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    return config;
  }

  private static String toUri(String pathOrUri) {
    URI uri = URI.create(pathOrUri.replace(" ", "%20"));
    if (uri.getScheme() != null && uri.getScheme().length() > 1) {
      return pathOrUri;
    }
    return Path.of(pathOrUri).toAbsolutePath().normalize().toUri().toString();
  }

  /**
   * The configuration of a {@code java -jar} run's embedded cluster: {@link #configuration} plus
   * accumulators reported every second (the run's progress lines read them; Flink's default is
   * every 10 s) and, with {@code --metrics-port}, Flink's Prometheus reporter.
   *
   * @param options the job options
   * @return the configuration
   */
  public static Configuration embeddedConfiguration(JobOptions options) {
    Configuration config = configuration(options);
    config.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    if (options.metricsPort() > 0) {
      Configuration reporter = MetricOptions.forReporter(config, "prometheus");
      reporter.set(MetricOptions.REPORTER_FACTORY_CLASS, PROMETHEUS_REPORTER);
      reporter.setString("port", Integer.toString(options.metricsPort()));
    }
    return config;
  }

  /** Flink's Prometheus reporter (flink-metrics-prometheus), by name: a cluster provides it. */
  static final String PROMETHEUS_REPORTER =
      "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

  /**
   * The job with the sources and sinks the options name: files or Kafka topics.
   *
   * @param options the job options
   * @param groups the groups by id
   * @return the job, to build into an environment
   */
  public static SpikestreamJob fromOptions(JobOptions options, Map<String, GroupConfig> groups) {
    return new SpikestreamJob(
        groups,
        options,
        input(options, groups),
        spikeOutput(options),
        output(options, JobIo.LATE),
        output(options, JobIo.DEAD_LETTER));
  }

  /**
   * Runs the job from the command line (see {@link JobRun}): on an embedded MiniCluster with its
   * Web UI under {@code java -jar}, or on the cluster under {@code flink run}; exits with 0 when
   * the run finished or was stopped, 1 when it failed, 2 for bad options or environment.
   *
   * @param args the options; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(JobRun.run(args, System.out, System.err, true));
  }

  /** The input the options name: files, or a Kafka topic. */
  static Source<ParsedLine, ?, ?> input(JobOptions options, Map<String, GroupConfig> groups) {
    CameraFormat camera = options.cameraFormat();
    Duration monitor = options.monitor() ? Duration.ofMillis(options.monitorIntervalMs()) : null;
    if (camera == null) {
      return options.input() == null
          ? JobIo.kafka(options.kafka(), groups)
          : JobIo.files(options.input(), groups, monitor);
    }
    GroupConfig group = groups.get(options.inputGroup());
    return options.input() == null
        ? JobIo.kafkaCamera(options.kafka(), camera, group, options.outOfOrdernessMs())
        : JobIo.cameraFiles(options.input(), camera, group, options.outOfOrdernessMs(), monitor);
  }

  /**
   * The sink of spike records the options name: {@code spikes/} of {@code --output}, or a topic.
   */
  static Sink<SpikeRecord> spikeOutput(JobOptions options) {
    return options.output() != null
        ? JobIo.spikeLines(options.output())
        : JobIo.kafkaSpikes(options.kafka(), options.kafka().outputTopic());
  }

  /**
   * The sink of late events or dead letters the options name: a subdirectory of {@code --output},
   * or a topic.
   *
   * @param name {@link JobIo#LATE} or {@link JobIo#DEAD_LETTER}
   */
  static Sink<String> output(JobOptions options, String name) {
    if (options.output() != null) {
      return JobIo.jsonLines(options.output(), name);
    }
    KafkaOptions kafka = options.kafka();
    String topic =
        switch (name) {
          case JobIo.LATE -> kafka.lateTopic();
          case JobIo.DEAD_LETTER -> kafka.deadLetterTopic();
          default -> throw new IllegalArgumentException("no line output named '" + name + "'");
        };
    return JobIo.kafkaLines(kafka, topic);
  }
}
