package io.spikestream.job.run;

import io.spikestream.job.operator.RunCounters;
import java.util.Locale;
import java.util.Map;

/**
 * What a run has done so far, read from the job's accumulators ({@link RunCounters}), and how the
 * run reports it: progress lines, the summary and the last line for scripts.
 *
 * @param events input lines or records read
 * @param applied events added to a step that had not run
 * @param late events whose step had already run
 * @param deadLetters inputs that could not be routed
 * @param steps steps run, one spike record each
 * @param spikes spike indices written in all spike records
 * @param pendingSteps steps that received events and wait for the watermark
 * @param watermarkMs the neuron steps' watermark in ms of event time; {@link Long#MIN_VALUE} if
 *     none yet, {@link Long#MAX_VALUE} at the end of the input
 * @param newestEventMs the newest event time read, in ms; {@link Long#MIN_VALUE} if none
 */
public record RunTotals(
    long events,
    long applied,
    long late,
    long deadLetters,
    long steps,
    long spikes,
    long pendingSteps,
    long watermarkMs,
    long newestEventMs) {

  /** Nothing yet. */
  public static final RunTotals NONE =
      new RunTotals(0, 0, 0, 0, 0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE);

  /**
   * Reads the totals from a job's accumulator results; absent ones count as none (a task that has
   * not started yet).
   *
   * @param accumulators the job's accumulators, by name, as Flink's job client returns them
   * @return the totals
   */
  public static RunTotals of(Map<String, Object> accumulators) {
    return new RunTotals(
        value(accumulators, RunCounters.EVENTS, 0),
        value(accumulators, RunCounters.APPLIED, 0),
        value(accumulators, RunCounters.LATE, 0),
        value(accumulators, RunCounters.DEAD_LETTERS, 0),
        value(accumulators, RunCounters.STEPS, 0),
        value(accumulators, RunCounters.SPIKES, 0),
        value(accumulators, RunCounters.PENDING_STEPS, 0),
        value(accumulators, RunCounters.WATERMARK, Long.MIN_VALUE),
        value(accumulators, RunCounters.NEWEST_EVENT, Long.MIN_VALUE));
  }

  private static long value(Map<String, Object> accumulators, String name, long absent) {
    Object value = accumulators.get(name);
    return value instanceof Number number ? number.longValue() : absent;
  }

  /**
   * The progress line: counts, rate since the previous line, pending steps and event time.
   *
   * @param previous the totals of the previous line
   * @param elapsedS seconds since the run started
   * @param sincePreviousS seconds since the previous line
   * @return for example {@code 5.0 s: 120,000 events (24,000/s), ...}
   */
  public String progress(RunTotals previous, double elapsedS, double sincePreviousS) {
    double rate = sincePreviousS > 0 ? (events - previous.events) / sincePreviousS : 0;
    return String.format(
        Locale.ROOT,
        "%.1f s: %,d events (%,.0f/s): %,d applied, %,d late, %,d dead letters; %,d steps,"
            + " %,d spikes; %,d pending steps; %s",
        elapsedS,
        events,
        rate,
        applied,
        late,
        deadLetters,
        steps,
        spikes,
        pendingSteps,
        eventTime());
  }

  /** The watermark and how far it lags the newest event time, in words. */
  String eventTime() {
    if (newestEventMs == Long.MIN_VALUE) {
      return "no event time yet";
    }
    if (watermarkMs == Long.MAX_VALUE) {
      return "newest event " + newestEventMs + " ms, input ended";
    }
    if (watermarkMs == Long.MIN_VALUE) {
      return "newest event " + newestEventMs + " ms, no watermark yet";
    }
    return "watermark "
        + watermarkMs
        + " ms, "
        + Math.max(0, newestEventMs - watermarkMs)
        + " ms behind the newest event";
  }

  /**
   * The human summary of the counts.
   *
   * @param elapsedS seconds since the run started
   * @return for example {@code 500,000 events in 5.2 s (96,000/s): ...}
   */
  public String summary(double elapsedS) {
    return String.format(
        Locale.ROOT,
        "%,d events in %.1f s (%,.0f/s): %,d applied, %,d late, %,d dead letters; %,d steps run,"
            + " %,d spikes",
        events,
        elapsedS,
        elapsedS > 0 ? events / elapsedS : 0,
        applied,
        late,
        deadLetters,
        steps,
        spikes);
  }

  /**
   * The last line of a run, for scripts.
   *
   * @return {@code done: events=N applied=N late=N dead_letters=N steps=N spikes=N}
   */
  public String doneLine() {
    return "done: events="
        + events
        + " applied="
        + applied
        + " late="
        + late
        + " dead_letters="
        + deadLetters
        + " steps="
        + steps
        + " spikes="
        + spikes;
  }
}
