package io.spikestream.job.operator;

import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.ParsedLine;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes parsed input lines: events of known groups go on (with the event time the source gave
 * them), every line that could not be parsed goes to {@link #DEAD_LETTER} with the reason. Counts
 * both, as the {@code eventsRouted} and {@code deadLetters} metrics.
 */
public class EventRouter extends ProcessFunction<ParsedLine, InputEvent> {

  /** Lines that are not valid events of a known group, with the reason. */
  public static final OutputTag<DeadLetter> DEAD_LETTER = new OutputTag<>("dead-letter") {};

  private transient Counter deadLetters;
  private transient Counter routed;

  @Override
  public void open(OpenContext openContext) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    routed = getRuntimeContext().getMetricGroup().counter("eventsRouted");
  }

  @Override
  public void processElement(ParsedLine line, Context ctx, Collector<InputEvent> out) {
    if (line.event != null) {
      routed.inc();
      out.collect(line.event);
    } else {
      deadLetters.inc();
      ctx.output(DEAD_LETTER, line.deadLetter);
    }
  }
}
