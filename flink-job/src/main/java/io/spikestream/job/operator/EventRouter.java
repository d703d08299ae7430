package io.spikestream.job.operator;

import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.ParsedLine;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes parsed input lines: events of known groups go on (with the event time the source gave
 * them), every line that could not be parsed goes to {@link #DEAD_LETTER} with the reason. Counts
 * both, as the {@code eventsRouted} and {@code deadLetters} metrics and as the run's {@link
 * RunCounters#EVENTS} and {@link RunCounters#DEAD_LETTERS}, and tracks the newest event time read
 * ({@link RunCounters#NEWEST_EVENT}).
 */
public class EventRouter extends ProcessFunction<ParsedLine, InputEvent>
    implements CheckpointedFunction {

  /** Lines that are not valid events of a known group, with the reason. */
  public static final OutputTag<DeadLetter> DEAD_LETTER = new OutputTag<>("dead-letter") {};

  private transient Counter deadLetters;
  private transient Counter routed;

  /** The run's totals: events read, dead letters; kept in operator state. */
  private transient RunCounters totals;

  private transient LongCounter eventsTotal;
  private transient LongCounter deadLettersTotal;
  private transient LongMaximum newestEvent;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    totals = new RunCounters("run totals", RunCounters.EVENTS, RunCounters.DEAD_LETTERS);
    totals.initialize(context.getOperatorStateStore());
  }

  @Override
  public void open(OpenContext openContext) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    routed = getRuntimeContext().getMetricGroup().counter("eventsRouted");
    totals.register(getRuntimeContext());
    eventsTotal = totals.get(0);
    deadLettersTotal = totals.get(1);
    newestEvent = new LongMaximum();
    getRuntimeContext().addAccumulator(RunCounters.NEWEST_EVENT, newestEvent);
  }

  @Override
  public void processElement(ParsedLine line, Context ctx, Collector<InputEvent> out) {
    if (line.event != null) {
      eventsTotal.add(line.event.count);
      routed.inc(line.event.count);
      newestEvent.add(line.event.timestampMs());
      out.collect(line.event);
    } else {
      eventsTotal.add(1L);
      deadLetters.inc();
      deadLettersTotal.add(1L);
      ctx.output(DEAD_LETTER, line.deadLetter);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    totals.snapshot();
  }
}
