package io.spikestream.job.operator;

import io.spikestream.job.event.InputEvent;
import java.util.Arrays;

/**
 * Everything the events of one pending step carried, kept until the step runs: a Flink POJO held in
 * {@link NeuronStepOperator}'s map state.
 *
 * <p>Each neuron's current is the float64 sum of its events' currents in arrival order, starting
 * from 0, exactly as a straightforward per-step loop over the events would add them (float sums
 * depend on their order, and a spike on the sign of the sum). While a step has only sparse events,
 * their entries are appended to a list, so a sparse event costs work proportional to its own
 * length, never to the group's size. The first dense event folds the list, in order, into an array
 * of the group's size; later events add into that array.
 */
public class StepInput {

  /** Once a dense event came: each neuron's sum of all currents so far, in nA; else null. */
  public double[] dense;

  /** Sparse flat indices, {@code sparseCount} of them used. */
  public int[] sparseIndex;

  /** Sparse currents in nA matching {@link #sparseIndex}. */
  public double[] sparseCurrent;

  /** Entries of {@link #sparseIndex} and {@link #sparseCurrent} in use. */
  public int sparseCount;

  /** Flat indices forced to spike, {@code overrideCount} of them used; or null for none. */
  public int[] override;

  /** Entries of {@link #override} in use. */
  public int overrideCount;

  /** Whether any event of the step carried an override (an empty one included). */
  public boolean overridden;

  /** Number of events applied to the step. */
  public int events;

  /**
   * Whether this step is in the operator's keyed state (written at an earlier barrier): not part of
   * the input, so transient, which Flink's POJO serializer skips.
   */
  transient boolean stored;

  /** Whether events were added since the step was last written to keyed state. */
  transient boolean dirty;

  /** For Flink's POJO serializer. */
  public StepInput() {}

  /**
   * Adds one event's currents and override to the step.
   *
   * @param event a validated event of this step
   */
  public void add(InputEvent event) {
    dirty = true;
    events += event.count;
    if (event.currents != null) {
      if (dense == null) {
        dense = new double[event.currents.length];
        addSparseInto(dense);
        sparseIndex = null;
        sparseCurrent = null;
        sparseCount = 0;
      }
      double[] currents = event.currents;
      for (int i = 0; i < currents.length; i++) {
        dense[i] += currents[i];
      }
    }
    if (event.index != null && dense != null) {
      for (int i = 0; i < event.index.length; i++) {
        dense[event.index[i]] += event.current[i];
      }
    } else if (event.index != null && event.index.length > 0) {
      int needed = sparseCount + event.index.length;
      if (sparseIndex == null || sparseIndex.length < needed) {
        int capacity = Math.max(needed, sparseIndex == null ? 8 : 2 * sparseIndex.length);
        sparseIndex =
            sparseIndex == null ? new int[capacity] : Arrays.copyOf(sparseIndex, capacity);
        sparseCurrent =
            sparseCurrent == null ? new double[capacity] : Arrays.copyOf(sparseCurrent, capacity);
      }
      System.arraycopy(event.index, 0, sparseIndex, sparseCount, event.index.length);
      System.arraycopy(event.current, 0, sparseCurrent, sparseCount, event.current.length);
      sparseCount = needed;
    }
    if (event.override != null) {
      overridden = true;
      int needed = overrideCount + event.override.length;
      if (override == null || override.length < needed) {
        int capacity = Math.max(needed, override == null ? 0 : 2 * override.length);
        override = override == null ? new int[capacity] : Arrays.copyOf(override, capacity);
      }
      System.arraycopy(event.override, 0, override, overrideCount, event.override.length);
      overrideCount = needed;
    }
  }

  /**
   * The most entries of sparse or override arrays that {@link #clear()} keeps for reuse.
   *
   * <p>Why a bound: the operator keeps up to a thousand cleared inputs for new steps; one step of a
   * burst (a camera frame's worth of events into one step) would otherwise leave arrays of that
   * size in the pool for the rest of the run, a megabyte or more per input. Arrays this small (12
   * KiB of sparse entries) cover the steps of ordinary streams, which then allocate nothing.
   */
  static final int MAX_KEPT_ENTRIES = 1024;

  /**
   * Empties the input for another step, keeping its sparse and override arrays for reuse unless
   * they grew beyond {@link #MAX_KEPT_ENTRIES}.
   */
  public void clear() {
    stored = false;
    dirty = false;
    dense = null;
    if (sparseIndex != null && sparseIndex.length > MAX_KEPT_ENTRIES) {
      sparseIndex = null;
      sparseCurrent = null;
    }
    if (override != null && override.length > MAX_KEPT_ENTRIES) {
      override = null;
    }
    sparseCount = 0;
    overrideCount = 0;
    overridden = false;
    events = 0;
  }

  /**
   * A deep copy, so that state written to a heap backend never shares arrays with an input that
   * goes on changing.
   *
   * @return the copy
   */
  public StepInput copy() {
    StepInput copy = new StepInput();
    copy.dense = dense == null ? null : dense.clone();
    // arrays kept by clear() for reuse are not part of the input: a copy holds what a fresh
    // input holds
    copy.sparseIndex = sparseCount == 0 ? null : Arrays.copyOf(sparseIndex, sparseCount);
    copy.sparseCurrent = sparseCount == 0 ? null : Arrays.copyOf(sparseCurrent, sparseCount);
    copy.sparseCount = sparseCount;
    copy.override =
        !overridden ? null : override == null ? new int[0] : Arrays.copyOf(override, overrideCount);
    copy.overrideCount = overrideCount;
    copy.overridden = overridden;
    copy.events = events;
    return copy;
  }

  /**
   * Why this input cannot be a step of a group of this size (an input restored from a checkpoint of
   * the group with another shape), or null if it fits.
   *
   * @param neurons the group's neurons in a batched frame
   * @return the misfit, or null
   */
  public String misfit(int neurons) {
    if (dense != null && dense.length != neurons) {
      return "dense currents of " + dense.length + " neurons";
    }
    for (int i = 0; i < sparseCount; i++) {
      if (sparseIndex[i] >= neurons) {
        return "index " + sparseIndex[i];
      }
    }
    for (int i = 0; i < overrideCount; i++) {
      if (override[i] >= neurons) {
        return "override index " + override[i];
      }
    }
    return null;
  }

  /**
   * Writes the step's summed currents into a buffer of the group's size.
   *
   * @param currents cleared by this call, then filled, in nA; length B*count
   */
  public void sumInto(double[] currents) {
    if (dense != null) {
      System.arraycopy(dense, 0, currents, 0, currents.length);
    } else {
      Arrays.fill(currents, 0.0);
      addSparseInto(currents);
    }
  }

  private void addSparseInto(double[] currents) {
    for (int i = 0; i < sparseCount; i++) {
      currents[sparseIndex[i]] += sparseCurrent[i];
    }
  }
}
