package io.spikestream.job.io.camera;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.DeadLetter;
import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.ParsedLine;
import io.spikestream.neural.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the address events of one input (a file, or a Kafka partition) into input events of one
 * group: each event is mapped to its neuron and its step, and the events of a step are sent as one
 * input event (a batch) instead of one each, with the same outcome as if each had been sent alone.
 *
 * <p>Mapping: a group of shape {@code [2, H, W]} takes an event at pixel (x, y) with polarity p at
 * flat index {@code p*H*W + (y/pool)*W + (x/pool)}; a group of shape {@code [H, W]} at {@code
 * (y/pool)*W + (x/pool)}, polarity ignored (integer division; pool 1 by default). The event's time
 * is its timestamp in µs / 1000, in ms, and its current the group's {@code event_current}. An event
 * outside the shape, or whose time is before the group's {@code t0} or beyond 2^53 ms, becomes a
 * dead letter with its byte position, as does undecodable input.
 *
 * <p>Why batches are exact: the operator sums a step's currents per neuron in arrival order, and a
 * batch keeps its events in their order, one entry each. What decides an event's fate besides its
 * neighbours is which watermarks the operator saw before it: a watermark W runs only the steps
 * whose timer is at or below W, so an event of step k is affected by no watermark below {@code
 * timerOf(k)}. The batcher therefore follows the watermark the events alone would have made (the
 * newest timestamp minus the out-of-orderness minus 1, as {@code StepWatermarks}) and, each time it
 * rises, sends every batch whose step's timer it reached, before the watermark: the last batch sent
 * carries the newest timestamp as its record timestamp and so moves the watermark, the others carry
 * the one before. Batches of later steps stay open; an event of a step whose timer was reached
 * already (a straggler) starts a new batch, sent at the next rise, before any watermark that could
 * run a later step. At the end of the input ({@link #flush}) every open batch is sent.
 *
 * <p>Not thread-safe; one per input split.
 */
public final class AddressEventBatcher implements AddressEventHandler {

  private final GroupConfig group;
  private final long outOfOrdernessMs;
  private final String source;
  private final Consumer<ParsedLine> out;
  private final boolean polarized;
  private final int height;
  private final int width;
  private final int plane;
  private final int pool;
  private final double minTimeMs;

  /** Batches not sent yet, in ascending step order. */
  private final List<Batch> open = new ArrayList<>();

  /** Sent batches' emptied buffers, for new ones. */
  private final List<Batch> spare = new ArrayList<>();

  /** The step of the events last seen, with its boundaries, to skip the step computation. */
  private long lastStep = -1;

  private double lastStart = Double.NaN;
  private double lastEnd = Double.NaN;

  /** The newest timestamp seen, in whole ms. */
  private long newest = Long.MIN_VALUE;

  /** The watermark the events seen would have made. */
  private long watermark = Long.MIN_VALUE;

  /**
   * @param group the group every event goes to: shape {@code [2, H, W]} or {@code [H, W]}, batch
   *     size 1
   * @param outOfOrdernessMs the input's bounded out-of-orderness, in ms, as {@code
   *     --out-of-orderness-ms}
   * @param source names the input in dead letters (a file's path, {@code topic/partition})
   * @param out receives the batches and dead letters, in order
   * @throws IllegalArgumentException if the group cannot take address events
   */
  public AddressEventBatcher(
      GroupConfig group, long outOfOrdernessMs, String source, Consumer<ParsedLine> out) {
    String misfit = misfit(group);
    if (misfit != null) {
      throw new IllegalArgumentException(misfit);
    }
    this.group = group;
    this.outOfOrdernessMs = outOfOrdernessMs;
    this.source = source;
    this.out = out;
    long[] shape = group.shape();
    polarized = shape.length == 3;
    height = (int) shape[shape.length - 2];
    width = (int) shape[shape.length - 1];
    plane = height * width;
    pool = group.pool();
    minTimeMs = group.t0();
  }

  /**
   * Why a group cannot take address events, or null if it can.
   *
   * @param group a group of the groups file
   * @return for example {@code group 'cam' of shape (32,) takes no camera events: its shape must be
   *     [2, H, W] or [H, W]}
   */
  public static String misfit(GroupConfig group) {
    long[] shape = group.shape();
    if (shape.length != 2 && !(shape.length == 3 && shape[0] == 2)) {
      return "group '"
          + group.id()
          + "' of shape "
          + Checks.tuple(shape)
          + " takes no camera events: its shape must be [2, H, W] (polarity, y, x) or [H, W]";
    }
    if (group.batchSize() != 1) {
      return "group '"
          + group.id()
          + "' takes camera events, so its batch_size must be 1, not "
          + group.batchSize();
    }
    return null;
  }

  @Override
  public void event(long tUs, int x, int y, int polarity, long position) {
    double t = tUs / 1000.0;
    if (!(t >= minTimeMs) || t > GroupConfig.MAX_TIME_MS) {
      dead(
          position,
          "event time "
              + tUs
              + " µs ("
              + Checks.repr(t)
              + " ms) is "
              + (t > GroupConfig.MAX_TIME_MS
                  ? "beyond 2^53 ms"
                  : "before the group's t0 of " + Checks.repr(minTimeMs) + " ms"));
      return;
    }
    int column = pool == 1 ? x : x / pool;
    int row = pool == 1 ? y : y / pool;
    if (x < 0 || y < 0 || column >= width || row >= height || (polarity >>> 1) != 0) {
      dead(
          position,
          "event at x "
              + x
              + ", y "
              + y
              + ", polarity "
              + polarity
              + " is outside group '"
              + group.id()
              + "' of shape "
              + Checks.tuple(group.shape())
              + (pool == 1 ? "" : " pooled by " + pool));
      return;
    }
    int index = row * width + column + (polarized ? polarity * plane : 0);
    long step;
    if (t >= lastStart && t < lastEnd) {
      step = lastStep;
    } else {
      step = group.stepOf(t);
      lastStep = step;
      lastStart = group.stepStart(step);
      lastEnd = group.stepStart(step + 1);
    }
    batchOf(step, t).add(index);
    long timestamp = (long) Math.floor(t);
    if (timestamp > newest) {
      newest = timestamp;
      long risen = newest - outOfOrdernessMs - 1;
      if (risen > watermark) {
        watermark = risen;
        sendDue(watermark);
      }
    }
  }

  @Override
  public void damaged(long position, String reason) {
    dead(position, reason);
  }

  /**
   * Sends every open batch: at the end of the input, or of a Kafka record (whose events must all be
   * sent before the source's position moves past it).
   */
  public void flush() {
    sendDue(Long.MAX_VALUE);
  }

  private void dead(long position, String reason) {
    ParsedLine line = new ParsedLine();
    line.deadLetter = new DeadLetter(null, reason).at(source, position);
    out.accept(line);
  }

  /** The open batch of a step, or a new one. */
  private Batch batchOf(long step, double t) {
    for (int i = open.size() - 1; i >= 0; i--) {
      Batch batch = open.get(i);
      if (batch.step == step) {
        return batch;
      }
      if (batch.step < step) {
        return insert(i + 1, step, t);
      }
    }
    return insert(0, step, t);
  }

  private Batch insert(int at, long step, double t) {
    Batch batch = spare.isEmpty() ? new Batch() : spare.remove(spare.size() - 1);
    batch.step = step;
    batch.t = t;
    batch.count = 0;
    open.add(at, batch);
    return batch;
  }

  /**
   * Sends the open batches whose step's timer is at or below a watermark, in step order; the last
   * carries the newest timestamp, so that the watermark follows it, the others their own first
   * event's, which moves the watermark below their own step's timer at most (so it runs no step
   * whose batch is still to come).
   */
  private void sendDue(long upTo) {
    int due = 0;
    while (due < open.size() && group.timerOf(open.get(due).step) <= upTo) {
      due++;
    }
    for (int i = 0; i < due; i++) {
      Batch batch = open.get(i);
      ParsedLine line = new ParsedLine();
      line.event = batch.toEvent(group);
      line.timestamp = i == due - 1 ? newest : Math.min((long) Math.floor(batch.t), newest);
      out.accept(line);
      spare.add(batch);
    }
    open.subList(0, due).clear();
  }

  /** The events of one step so far, as flat indices in arrival order. */
  private static final class Batch {
    long step;
    double t;
    int[] indices = new int[64];
    int count;

    void add(int index) {
      if (count == indices.length) {
        indices = Arrays.copyOf(indices, 2 * count);
      }
      indices[count++] = index;
    }

    InputEvent toEvent(GroupConfig group) {
      InputEvent event = new InputEvent();
      event.group = group.id();
      event.t = t;
      event.step = step;
      event.index = Arrays.copyOf(indices, count);
      event.current = new double[count];
      Arrays.fill(event.current, group.eventCurrent());
      event.count = count;
      return event;
    }
  }
}
