package io.spikestream.job.operator;

import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;

/**
 * The counts a run reports in its progress lines and its summary ({@code events}, {@code applied},
 * {@code late}, {@code dead_letters}, {@code steps}, {@code spikes}): Flink accumulators whose
 * values an operator also keeps in its operator state, so that they stay exact across restarts,
 * rescaling and resumes (a restarted task's accumulators would otherwise start again at zero while
 * its source replays only what followed the checkpoint). A resumed run therefore counts from the
 * start of the run it resumed.
 *
 * <p>Each subtask keeps one list entry of its totals; a restore sums whatever entries it is given,
 * so the totals over all subtasks are preserved at any parallelism.
 */
public final class RunCounters {

  /** Input lines or records read (each ends applied, late or as a dead letter). */
  public static final String EVENTS = "spikestream.events";

  /** Inputs that went to the dead letters. */
  public static final String DEAD_LETTERS = "spikestream.deadLetters";

  /** Events added to a step that had not run yet. */
  public static final String APPLIED = "spikestream.applied";

  /** Events whose step had already run. */
  public static final String LATE = "spikestream.late";

  /** Steps run, one spike record each. */
  public static final String STEPS = "spikestream.steps";

  /** Spike indices written in all spike records. */
  public static final String SPIKES = "spikestream.spikes";

  /** Steps that received events and wait for the watermark, all subtasks (not kept in state). */
  public static final String PENDING_STEPS = "spikestream.pendingSteps";

  /** The neuron operator's watermark, in ms of event time (the highest over subtasks). */
  public static final String WATERMARK = "spikestream.watermark";

  /** The newest event time read, in ms (whole ms, rounded down). */
  public static final String NEWEST_EVENT = "spikestream.newestEvent";

  private final String stateName;
  private final String[] names;
  private final LongCounter[] counters;
  private transient ListState<long[]> state;

  /**
   * @param stateName the name of the operator state that keeps the totals
   * @param names the accumulator names of the counters, in order
   */
  public RunCounters(String stateName, String... names) {
    this.stateName = stateName;
    this.names = names.clone();
    this.counters = new LongCounter[names.length];
    for (int i = 0; i < names.length; i++) {
      counters[i] = new LongCounter();
    }
  }

  /**
   * Restores the totals from operator state (none on a fresh start); call in {@code
   * initializeState}, before {@link #register}.
   *
   * @param store the operator's operator state store
   * @throws Exception if the state cannot be read
   */
  public void initialize(OperatorStateStore store) throws Exception {
    state =
        store.getListState(
            new ListStateDescriptor<>(
                stateName, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    Iterable<long[]> restored = state.get();
    if (restored == null) {
      return;
    }
    for (long[] totals : restored) {
      // a state written with fewer counters restores the ones it has
      for (int i = 0; i < Math.min(totals.length, counters.length); i++) {
        counters[i].add(totals[i]);
      }
    }
  }

  /**
   * Registers the counters as the task's accumulators.
   *
   * @param context the function's or operator's runtime context
   */
  public void register(RuntimeContext context) {
    for (int i = 0; i < names.length; i++) {
      context.addAccumulator(names[i], counters[i]);
    }
  }

  /**
   * The counter at a position of the names given to the constructor.
   *
   * @param index its position
   * @return the counter, to add to
   */
  public LongCounter get(int index) {
    return counters[index];
  }

  /**
   * Writes the totals into operator state; call in {@code snapshotState}.
   *
   * @throws Exception if the state cannot be written
   */
  public void snapshot() throws Exception {
    long[] totals = new long[counters.length];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = counters[i].getLocalValuePrimitive();
    }
    state.update(List.of(totals));
  }
}
