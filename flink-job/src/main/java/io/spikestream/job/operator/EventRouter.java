package io.spikestream.job.operator;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.BadEventException;
import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.InputEvent;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses raw input lines into events of known groups; every line it cannot route goes to {@link
 * #DEAD_LETTER} with the reason, counted by the {@code deadLetters} metric. Never fails on input.
 */
public class EventRouter extends ProcessFunction<String, InputEvent> {

  /** Lines that are not valid events of a known group, with the reason. */
  public static final OutputTag<DeadLetter> DEAD_LETTER = new OutputTag<>("dead-letter") {};

  private final Map<String, GroupConfig> groups;
  private transient EventCodec codec;
  private transient Counter deadLetters;
  private transient Counter routed;

  /**
   * @param groups the known groups by id
   */
  public EventRouter(Map<String, GroupConfig> groups) {
    this.groups = groups;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = new EventCodec(groups);
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    routed = getRuntimeContext().getMetricGroup().counter("eventsRouted");
  }

  @Override
  public void processElement(String line, Context ctx, Collector<InputEvent> out) {
    InputEvent event;
    try {
      event = codec.parse(line);
    } catch (BadEventException e) {
      deadLetter(line, e.getMessage(), ctx);
      return;
    } catch (RuntimeException | StackOverflowError e) {
      // a parser fault must cost one line, never the job
      deadLetter(line, "unreadable event: " + e, ctx);
      return;
    }
    routed.inc();
    out.collect(event);
  }

  private void deadLetter(String line, String reason, Context ctx) {
    deadLetters.inc();
    ctx.output(DEAD_LETTER, new DeadLetter(line, reason));
  }
}
