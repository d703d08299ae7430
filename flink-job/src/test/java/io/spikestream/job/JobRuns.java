package io.spikestream.job;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.io.JobIo;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Runs the job on a test MiniCluster over real files, with optional pacing and faults. */
public final class JobRuns {

  private JobRuns() {}

  /** A MiniCluster of one TaskManager with two slots, bound to loopback. */
  public static MiniClusterExtension miniCluster() {
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(TaskManagerOptions.HOST, "127.0.0.1");
    config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(config)
            .build());
  }

  /** The options of a file run; {@code extra} adds or overrides flags. */
  public static JobOptions options(Path groups, Path input, Path output, String... extra) {
    String[] base = {
      "--groups",
      groups.toString(),
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--checkpoint-interval-ms",
      "100"
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return JobOptions.parse(all);
  }

  /** An environment of the test MiniCluster configured as the options ask. */
  public static StreamExecutionEnvironment environment(JobOptions options) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(SpikestreamJob.configuration(options));
    if (options.parallelism() > 0) {
      env.setParallelism(options.parallelism());
    }
    return env;
  }

  /**
   * Builds the job into an environment with the sources and sinks the options name (files or
   * Kafka), as {@code main} does, with a tap after routing.
   */
  public static StreamExecutionEnvironment build(
      JobOptions options,
      Map<String, GroupConfig> groups,
      UnaryOperator<DataStream<InputEvent>> tap) {
    StreamExecutionEnvironment env = environment(options);
    new SpikestreamJob(
            groups,
            options,
            SpikestreamJob.input(options, groups),
            SpikestreamJob.spikeOutput(options),
            SpikestreamJob.output(options, JobIo.LATE),
            SpikestreamJob.output(options, JobIo.DEAD_LETTER))
        .withEventTap(tap)
        .build(env);
    return env;
  }

  /** A tap that sleeps 1 ms every {@code every} events, so checkpoints fall mid-stream. */
  public static UnaryOperator<DataStream<InputEvent>> paced(int every) {
    return events -> events.map(new Pace(every)).uid("pace").name("pace");
  }

  /** Sleeps 1 ms every {@code every} events. */
  static class Pace extends RichMapFunction<InputEvent, InputEvent> {
    private final int every;
    private int count;

    Pace(int every) {
      this.every = every;
    }

    @Override
    public InputEvent map(InputEvent event) throws Exception {
      if (++count % every == 0) {
        Thread.sleep(1);
      }
      return event;
    }
  }

  /**
   * A paced tap that throws once, after a checkpoint completed and {@code after} more events
   * passed, so the job restarts from that checkpoint with output already committed.
   */
  public static UnaryOperator<DataStream<InputEvent>> failOnce(int every, int after) {
    FailOnce.failed.set(false);
    FailOnce.opened.set(0);
    return events -> events.map(new FailOnce(every, after)).uid("pace").name("pace");
  }

  /** Throws once after a completed checkpoint; counts its openings (restarts + 1 per subtask). */
  public static class FailOnce extends Pace implements CheckpointListener {
    /** Whether the failure was injected. */
    public static final AtomicBoolean failed = new AtomicBoolean();

    /** How often a subtask of the tap was opened. */
    public static final AtomicInteger opened = new AtomicInteger();

    private final int after;
    private int sinceCheckpoint = -1;

    FailOnce(int every, int after) {
      super(every);
      this.after = after;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      opened.incrementAndGet();
    }

    @Override
    public InputEvent map(InputEvent event) throws Exception {
      if (sinceCheckpoint >= 0 && ++sinceCheckpoint > after && failed.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure");
      }
      return super.map(event);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (sinceCheckpoint < 0) {
        sinceCheckpoint = 0;
      }
    }
  }
}
