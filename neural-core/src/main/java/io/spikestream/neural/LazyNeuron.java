package io.spikestream.neural;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The bookkeeping that lets a model with dynamics skip zero-input steps: each <em>unit</em> (a
 * neuron for LIF; for ALIF a shape position with all its batch copies, which share adaptations) is
 * stepped only when an input reaches it, when it is <em>hot</em> (it might spike without input), or
 * when its state is read. A unit left behind replays its missed zero-input steps one by one when
 * next touched, until one leaves it bit-identical (a fixed point), after which the rest are the
 * same and are jumped.
 *
 * <p>Invariant: every unit is either in the hot list and stepped up to {@link #now}, or cold (the
 * model proved that no zero-input step from its last state spikes) and materialized at {@link
 * #timeOf}, possibly behind {@link #now}. So a sparse step costs its listed units and the hot ones,
 * an idle skip costs nothing, and the outputs equal stepping every unit every step.
 */
abstract class LazyNeuron extends Neuron {

  /** The spikes of the last step. */
  SpikeBuffer spikes;

  /** Steps taken since this group was built, idle ones included. */
  private long now;

  /** Every unit whose stamp is below this is materialized at this step. */
  private long base;

  /** Per unit, the step it is materialized at when above {@link #base}; null until needed. */
  private long[] stamps;

  /** Whether some unit may be materialized before {@link #now}. */
  private boolean behind;

  /** The hot units, in no order, and their membership bits. */
  private int[] hot = new int[16];

  private int hotCount;
  private long[] hotBits;

  /**
   * The units the last dense step found above its cold limit, in the model's reused lists, not yet
   * judged; null once judged. Only a step other than a dense one, a skip or a question about the
   * hot list needs them judged, so a run of dense steps never judges them.
   */
  private DenseChunks.Units[] doubtful;

  private int doubtfulLists;

  /** Units found hot while a sparse step runs, added to {@link #hot} at its end. */
  private int[] newlyHot = new int[16];

  /** Unit steps taken by sparse steps and catch-up replays, for tests of what steps cost. */
  long unitSteps;

  /** A sparse step's distinct listed units, and those of them behind with the steps they missed. */
  private int[] listed = new int[16];

  private int[] behindUnits = new int[16];
  private long[] behindSteps = new long[16];

  private int[] spiked = new int[16];
  private int spikedCount;

  LazyNeuron(long[] shape, int batchSize) {
    super(shape, batchSize);
  }

  /**
   * @return how many units the lazy stepping tracks
   */
  abstract int unitCount();

  /**
   * @param neuron a flat index into the batched shape
   * @return the unit it belongs to
   */
  abstract int unitOf(int neuron);

  /**
   * Takes one step of a unit whose inputs are the sparse step's sums (zero where none is listed),
   * reporting its spiking neurons through {@link #spiked(int)}.
   */
  abstract void stepUnit(int unit, SparseInput input);

  /**
   * Takes one zero-input step of a cold unit, which must not spike.
   *
   * @return false if the step left the unit bit-identical
   * @throws IllegalStateException if a neuron spiked: a cold unit that spikes is a bug
   */
  abstract boolean idleStep(int unit);

  /**
   * @return whether no zero-input step from the unit's present state can spike (sound, see the
   *     models' documentation)
   */
  abstract boolean cold(int unit);

  /** Called by {@link #stepUnit} for each neuron that spiked. */
  final void spiked(int neuron) {
    if (spikedCount == spiked.length) {
      spiked = Arrays.copyOf(spiked, 2 * spiked.length);
    }
    spiked[spikedCount++] = neuron;
  }

  private static int[] grown(int[] array, int count) {
    return count == array.length ? Arrays.copyOf(array, 2 * count) : array;
  }

  /** The step a unit is materialized at. */
  final long timeOf(int unit) {
    return stamps == null ? base : Math.max(stamps[unit], base);
  }

  /**
   * Takes up to {@code steps} zero-input steps of a cold unit, stopping after the first that leaves
   * it bit-identical (all later ones would too). Models may override this with a loop that keeps
   * the unit's state in registers; the result must equal this one.
   *
   * @param steps how many steps the unit is behind, at least 1
   * @return the steps taken, at most {@code steps}
   */
  long idleSteps(int unit, long steps) {
    long taken = 0;
    while (taken < steps) {
      taken++;
      if (!idleStep(unit)) {
        break;
      }
    }
    return taken;
  }

  /**
   * {@link #idleSteps(int, long)} of several distinct units, {@code steps[c]} for {@code units[c]};
   * models may override this to interleave independent units.
   *
   * @return the steps taken in all
   */
  long idleSteps(int[] units, long[] steps, int count) {
    long taken = 0;
    for (int c = 0; c < count; c++) {
      taken += idleSteps(units[c], steps[c]);
    }
    return taken;
  }

  /** Replays a unit's missed zero-input steps up to {@code target}, jumping at a fixed point. */
  private void catchUp(int unit, long target) {
    long missed = target - timeOf(unit);
    if (missed > 0) {
      unitSteps += idleSteps(unit, missed);
    }
    if (stamps != null) {
      stamps[unit] = target;
    }
  }

  /** Brings every unit up to the last step, so that the state arrays are the state. */
  final void materialize() {
    if (!behind) {
      return;
    }
    int units = unitCount();
    for (int u = 0; u < units; u++) {
      catchUp(u, now);
    }
    base = now;
    behind = false;
  }

  /** Resets the lazy state for freshly allocated state arrays (all units at the present step). */
  final void resetLazyState() {
    stamps = null;
    base = now;
    behind = false;
    hotBits = new long[NeuronSnapshot.wordsFor(unitCount())];
    hotCount = 0;
    doubtful = null;
  }

  /** Re-evaluates every unit after its state was set from outside. */
  final void recomputeHot() {
    clearHot();
    int units = unitCount();
    for (int u = 0; u < units; u++) {
      if (!cold(u)) {
        addHot(u);
      }
    }
  }

  /** Empties the hot list and forgets the units a dense step left to judge. */
  final void clearHot() {
    doubtful = null;
    for (int h = 0; h < hotCount; h++) {
      hotBits[hot[h] >>> 6] &= ~(1L << hot[h]);
    }
    hotCount = 0;
  }

  /** Adds a unit known not to be in the hot list. */
  final void addHot(int unit) {
    if (hotCount == hot.length) {
      hot = Arrays.copyOf(hot, 2 * hot.length);
    }
    hot[hotCount++] = unit;
    hotBits[unit >>> 6] |= 1L << unit;
  }

  private boolean isHot(int unit) {
    return (hotBits[unit >>> 6] & (1L << unit)) != 0;
  }

  /** Before a dense step: every unit up to date and the hot list empty. */
  final void beginDenseStep() {
    materialize();
    clearHot();
  }

  /**
   * After a dense step that wrote every spike byte, with the units it left to judge: the units of
   * the first {@code lists} lists, all others cold. They are judged by {@link #cold} when the hot
   * list is next needed, on the state this step left (every other change of state recomputes the
   * hot list or clears it first).
   */
  final void endDenseStep(DenseChunks.Units[] doubtful, int lists) {
    endDenseStep();
    this.doubtful = doubtful;
    this.doubtfulLists = lists;
  }

  /** Adds to the hot list the units the last dense step left to judge that are not cold. */
  private void judgeDoubtful() {
    DenseChunks.Units[] lists = doubtful;
    if (lists == null) {
      return;
    }
    doubtful = null;
    for (int c = 0; c < doubtfulLists; c++) {
      DenseChunks.Units list = lists[c];
      for (int k = 0; k < list.count; k++) {
        if (!cold(list.units[k])) {
          addHot(list.units[k]);
        }
      }
    }
  }

  /** After a dense step that wrote every spike byte and re-listed the hot units. */
  final void endDenseStep() {
    spikes.markFull();
    now = Math.addExact(now, 1);
    base = now;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each listed neuron's unit first replays the zero-input steps it is behind on; then the
   * listed units and the hot ones take this step, the listed with their summed currents rounded to
   * float32, the others with zero; every other unit stays behind, cold.
   */
  @Override
  public final int[] forwardSparse(int[] indices, double[] currents, int count) {
    requireSparseArguments(indices, currents, count);
    judgeDoubtful();
    if (stamps == null) {
      stamps = new long[unitCount()];
    }
    SparseInput sparse = SparseInput.ofThisThread();
    sparse.load(indices, currents, count);
    long step = Math.addExact(now, 1);
    spikedCount = 0;
    // the listed units first replay what they missed, all at once, so that a model can
    // interleave the replays
    int listedCount = 0;
    int behindCount = 0;
    for (int k = 0; k < sparse.distinct(); k++) {
      int unit = unitOf(sparse.neuron(k));
      if (stamps[unit] == step) {
        continue; // another neuron of the unit was listed before
      }
      long missed = now - timeOf(unit);
      stamps[unit] = step;
      listed = grown(listed, listedCount);
      listed[listedCount++] = unit;
      if (missed > 0) {
        behindUnits = grown(behindUnits, behindCount);
        if (behindCount == behindSteps.length) {
          behindSteps = Arrays.copyOf(behindSteps, 2 * behindCount);
        }
        behindUnits[behindCount] = unit;
        behindSteps[behindCount++] = missed;
      }
    }
    if (behindCount > 0) {
      unitSteps += idleSteps(behindUnits, behindSteps, behindCount);
    }
    int found = 0;
    for (int l = 0; l < listedCount; l++) {
      int unit = listed[l];
      stepUnit(unit, sparse);
      unitSteps++;
      if (!isHot(unit) && !cold(unit)) {
        hotBits[unit >>> 6] |= 1L << unit;
        if (found == newlyHot.length) {
          newlyHot = Arrays.copyOf(newlyHot, 2 * found);
        }
        newlyHot[found++] = unit;
      }
    }
    int kept = 0;
    for (int h = 0; h < hotCount; h++) {
      int unit = hot[h];
      if (stamps[unit] != step) {
        stepUnit(unit, sparse);
        unitSteps++;
        stamps[unit] = step;
      }
      if (cold(unit)) {
        hotBits[unit >>> 6] &= ~(1L << unit);
      } else {
        hot[kept++] = unit;
      }
    }
    hotCount = kept;
    for (int f = 0; f < found; f++) {
      if (hotCount == hot.length) {
        hot = Arrays.copyOf(hot, 2 * hot.length);
      }
      hot[hotCount++] = newlyHot[f];
    }
    sparse.clear();
    now = step;
    behind = true;
    SpikeBuffer.sortAscending(spiked, spikedCount);
    spikes.setSparse(spiked, spikedCount);
    return Arrays.copyOf(spiked, spikedCount);
  }

  /**
   * {@inheritDoc}
   *
   * <p>After a sparse step or a skip this costs the spikes listed; after a dense step, one pass.
   */
  @Override
  public final int[] spikedIndices() {
    return spikes.indices();
  }

  /**
   * {@inheritDoc}
   *
   * <p>True while some unit is hot: each unit is re-judged after every step it takes, by the
   * model's sound predicate (see the class documentation), and a unit left behind is cold.
   */
  @Override
  public final boolean canSpikeWithoutInput() {
    judgeDoubtful();
    return hotCount > 0;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Only a step counter moves: every unit is cold, so the skipped steps spike nowhere, and each
   * unit replays them when next touched.
   *
   * @throws ArithmeticException past 2<sup>63</sup> - 1 steps in all
   */
  @Override
  public final void skipIdle(long steps) {
    if (Checks.nonnegative("steps", steps) == 0) {
      return;
    }
    judgeDoubtful();
    if (hotCount > 0) {
      int example = hot[0];
      for (int h = 1; h < hotCount; h++) {
        example = Math.min(example, hot[h]);
      }
      throw new IllegalStateException(cannotSkipMessage(hotCount, firstNeuronOf(example)));
    }
    now = Math.addExact(now, steps);
    behind = true;
    spikes.clear();
  }

  /**
   * @param unit a unit
   * @return the lowest flat neuron index in it
   */
  abstract int firstNeuronOf(int unit);

  /**
   * The last step's spikes, every neuron's, from a buffer that is cleared lazily.
   *
   * @return the spike buffer itself, BOOL, {@code [B, N...]}: overwritten by the next step, and
   *     brought up to date after a sparse step only when this is next called (call it again after
   *     each step rather than keep the array); do not write to it
   */
  @Override
  public final INDArray spike() {
    return spikes.array();
  }

  /**
   * The hot units now, for tests.
   *
   * @return a new array of the hot units
   */
  final int[] hotUnits() {
    judgeDoubtful();
    return Arrays.copyOf(hot, hotCount);
  }
}
