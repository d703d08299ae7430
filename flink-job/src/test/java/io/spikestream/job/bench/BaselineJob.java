package io.spikestream.job.bench;

import io.spikestream.job.SpikestreamJob;
import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.io.JobIo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The benchmark's baseline: the least a keyed job over the same input does. It reads the same files
 * with the same parsing source as the job, keys events by group and counts them in one {@code
 * ValueState<Long>} per group; nothing else (no event time, no steps, no output).
 */
final class BaselineJob {

  /** The accumulator of events counted, checked against the input. */
  static final String COUNTED = "counted";

  private BaselineJob() {}

  /**
   * Runs the baseline as its own process, the way {@code java -jar spikestream-job.jar} runs the
   * job: on an embedded MiniCluster with the job's configuration for the same options (checkpoints
   * every second by default, to {@code OUTPUT/checkpoints}; the state backend), parallelism {@code
   * --parallelism} or else the number of cores, as the job's embedded cluster takes. Prints the
   * events counted; with {@code --expect N}, exits with 1 unless it counted N.
   *
   * @param args {@code --groups FILE --input PATH --output DIR [--expect N]} and any other option
   *     of the job
   */
  public static void main(String[] args) throws Exception {
    List<String> jobArgs = new ArrayList<>();
    long expect = -1;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--expect") && i + 1 < args.length) {
        expect = Long.parseLong(args[++i]);
      } else {
        jobArgs.add(args[i]);
      }
    }
    JobOptions options = JobOptions.parse(jobArgs.toArray(String[]::new));
    Configuration config = SpikestreamJob.embeddedConfiguration(options);
    // as under java -jar (JobRun)
    config.removeConfig(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config);
    env.setParallelism(
        options.parallelism() > 0
            ? options.parallelism()
            : Runtime.getRuntime().availableProcessors());
    build(env, GroupsFile.load(options.groups()), options.input());
    JobExecutionResult result = env.execute("baseline");
    long counted = result.<Long>getAccumulatorResult(COUNTED);
    System.out.println("baseline: counted " + counted + " events");
    if (expect >= 0 && counted != expect) {
      System.err.println("baseline: counted " + counted + " events, expected " + expect);
      System.exit(1);
    }
    System.exit(0);
  }

  static void build(StreamExecutionEnvironment env, Map<String, GroupConfig> groups, String input) {
    env.fromSource(JobIo.files(input, groups, null), WatermarkStrategy.noWatermarks(), "input")
        .filter(line -> line.event != null)
        .map(line -> line.event)
        .keyBy(event -> event.group)
        .process(new CountPerGroup())
        .sinkTo(new DiscardingSink<>());
  }

  /** One {@code ValueState<Long>} counter per group. */
  static final class CountPerGroup extends KeyedProcessFunction<String, InputEvent, Long> {
    private static final ValueStateDescriptor<Long> COUNT =
        new ValueStateDescriptor<>("count", Types.LONG);
    private transient ValueState<Long> count;
    private transient org.apache.flink.api.common.accumulators.LongCounter counted;

    @Override
    public void open(OpenContext context) {
      count = getRuntimeContext().getState(COUNT);
      counted = getRuntimeContext().getLongCounter(COUNTED);
    }

    @Override
    public void processElement(InputEvent event, Context ctx, Collector<Long> out)
        throws Exception {
      Long n = count.value();
      count.update(n == null ? 1 : n + 1);
      counted.add(1);
    }
  }
}
