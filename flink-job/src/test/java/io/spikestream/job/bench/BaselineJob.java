package io.spikestream.job.bench;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.io.JobIo;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
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
