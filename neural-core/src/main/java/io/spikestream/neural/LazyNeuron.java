package io.spikestream.neural;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * #timeOf}, possibly behind {@link #now}. Right after a dense step, every unit is at {@link #now}
 * and the hot list is still to be completed from the step's doubt bytes, which happens before
 * anything reads it. So a sparse step costs its listed units and the hot ones, an idle skip costs
 * nothing, and the outputs equal stepping every unit every step.
 */
abstract class LazyNeuron extends Neuron {

  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
   * Per unit, 1 where the last dense step could not prove the unit cold with its one comparison;
   * null before the first dense step. Judged only when {@link #doubtPending}: a step other than a
   * dense one, a skip or a question about the hot list needs the units judged, so a run of dense
   * steps never judges them.
   */
  private byte[] doubt;

  private boolean doubtPending;

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
    doubtPending = false;
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
    doubtPending = false;
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
   * The array a dense step writes its doubt bytes into, one per unit (1: to be judged by {@link
   * #cold}; 0: cold), reused from step to step.
   *
   * @return an array of {@link #unitCount} bytes
   */
  final byte[] doubtBytes() {
    if (doubt == null || doubt.length != unitCount()) {
      doubt = new byte[unitCount()];
    }
    return doubt;
  }

  /**
   * After a dense step that wrote every spike byte and every unit's doubt byte into {@link
   * #doubtBytes}: the units marked are judged by {@link #cold} when the hot list is next needed, on
   * the state this step left (every other change of state recomputes the hot list or clears it
   * first).
   */
  final void endDenseStepToJudge() {
    endDenseStep();
    doubtPending = true;
  }

  /** Adds to the hot list the units the last dense step marked that are not cold. */
  private void judgeDoubtful() {
    if (!doubtPending) {
      return;
    }
    doubtPending = false;
    byte[] marks = doubt;
    int n = marks.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      // eight marks at a time: most are 0
      long word = (long) EIGHT_BYTES.get(marks, i);
      while (word != 0) {
        int k = Long.numberOfTrailingZeros(word) >>> 3;
        if (!cold(i + k)) {
          addHot(i + k);
        }
        word &= ~(0xFFL << (k << 3));
      }
    }
    for (; i < n; i++) {
      if (marks[i] != 0 && !cold(i)) {
        addHot(i);
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
