package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.RandomEvents;
import io.spikestream.job.event.InputEvent;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class StepInputTest {

  private static final long SEED = Long.getLong("spikestream.seed", 20261123L);

  @RepeatedTest(50)
  void sumsEqualArrivalOrderSumsBitForBit(RepetitionInfo repetition) {
    Random random = new Random(SEED + repetition.getCurrentRepetition());
    int neurons = 1 + random.nextInt(20);
    InputEvent[] events = new InputEvent[1 + random.nextInt(8)];
    StepInput input = new StepInput();
    for (int k = 0; k < events.length; k++) {
      InputEvent e = new InputEvent();
      // values that cancel to tiny or zero sums in one order and not another
      double[] pool = {0.1, 0.2, -0.3, 1e16, -1e16, 1.0, -0.0, 3e-17};
      if (random.nextBoolean()) {
        e.currents = new double[neurons];
        for (int i = 0; i < neurons; i++) {
          e.currents[i] = pool[random.nextInt(pool.length)];
        }
      }
      if (e.currents == null || random.nextBoolean()) {
        int n = random.nextInt(5);
        e.index = new int[n];
        e.current = new double[n];
        for (int j = 0; j < n; j++) {
          e.index[j] = random.nextInt(neurons);
          e.current[j] = pool[random.nextInt(pool.length)];
        }
      }
      events[k] = e;
      input.add(copy(e));
    }
    double[] sums = new double[neurons];
    input.sumInto(sums);
    assertThat(sums).containsExactly(RandomEvents.perStepSums(List.of(events), neurons));
    assertThat(input.events).isEqualTo(events.length);
  }

  /** A recycled input, cleared after a step of its own, adds up a new step as a fresh one does. */
  @RepeatedTest(20)
  void aClearedInputEqualsAFreshOne(RepetitionInfo repetition) {
    Random random = new Random(SEED + 100 + repetition.getCurrentRepetition());
    int neurons = 1 + random.nextInt(20);
    StepInput recycled = new StepInput();
    for (int k = random.nextInt(30); k > 0; k--) {
      recycled.add(randomEvent(random, neurons));
    }
    recycled.clear();
    StepInput fresh = new StepInput();
    for (int k = random.nextInt(10); k > 0; k--) {
      InputEvent e = randomEvent(random, neurons);
      recycled.add(e);
      fresh.add(e);
    }
    assertThat(recycled.copy()).usingRecursiveComparison().isEqualTo(fresh.copy());
  }

  private static InputEvent randomEvent(Random random, int neurons) {
    InputEvent e = new InputEvent();
    switch (random.nextInt(3)) {
      case 0 -> e.currents = random.doubles(neurons, -1, 1).toArray();
      case 1 -> {
        e.index = random.ints(random.nextInt(12), 0, neurons).toArray();
        e.current = random.doubles(e.index.length, -1, 1).toArray();
      }
      default -> e.override = random.ints(random.nextInt(4), 0, neurons).toArray();
    }
    return e;
  }

  private static InputEvent copy(InputEvent e) {
    InputEvent c = new InputEvent();
    c.currents = e.currents == null ? null : e.currents.clone();
    c.index = e.index == null ? null : e.index.clone();
    c.current = e.current == null ? null : e.current.clone();
    c.override = e.override == null ? null : e.override.clone();
    return c;
  }

  @Test
  void anInputFitsOnlyAGroupWithAllItsIndices() {
    StepInput input = new StepInput();
    assertThat(input.misfit(1)).isNull();
    InputEvent sparse = new InputEvent();
    sparse.index = new int[] {1, 4};
    sparse.current = new double[] {1, 1};
    input.add(sparse);
    assertThat(input.misfit(5)).isNull();
    assertThat(input.misfit(4)).isEqualTo("index 4");
    InputEvent override = new InputEvent();
    override.override = new int[] {7};
    input.add(override);
    assertThat(input.misfit(8)).isNull();
    assertThat(input.misfit(5)).isEqualTo("override index 7");
    InputEvent dense = new InputEvent();
    dense.currents = new double[8];
    input.add(dense);
    assertThat(input.misfit(8)).isNull();
    assertThat(input.misfit(9)).isEqualTo("dense currents of 8 neurons");
  }

  @Test
  void sparseEventsAloneNeverAllocateTheGroupsSize() {
    StepInput input = new StepInput();
    InputEvent e = new InputEvent();
    e.index = new int[] {999_999};
    e.current = new double[] {1.0};
    for (int k = 0; k < 100; k++) {
      input.add(e);
    }
    assertThat(input.dense).isNull();
    assertThat(input.sparseIndex.length).isLessThanOrEqualTo(128);
    assertThat(input.sparseCount).isEqualTo(100);
  }

  /** A burst's arrays are not kept by a cleared input; ordinary ones are, for reuse. */
  @Test
  void clearKeepsOnlyArraysOfOrdinarySize() {
    StepInput input = new StepInput();
    InputEvent burst = new InputEvent();
    burst.index = new int[StepInput.MAX_KEPT_ENTRIES + 1];
    burst.current = new double[burst.index.length];
    burst.override = new int[StepInput.MAX_KEPT_ENTRIES + 1];
    input.add(burst);
    input.clear();
    assertThat(input.sparseIndex).isNull();
    assertThat(input.sparseCurrent).isNull();
    assertThat(input.override).isNull();

    InputEvent ordinary = new InputEvent();
    ordinary.index = new int[StepInput.MAX_KEPT_ENTRIES];
    ordinary.current = new double[ordinary.index.length];
    ordinary.override = new int[3];
    input.add(ordinary);
    int[] kept = input.sparseIndex;
    input.clear();
    assertThat(input.sparseIndex).isSameAs(kept);
    assertThat(input.override).isNotNull();
    // and the emptied input adds a step as a fresh one does
    input.add(ordinary);
    StepInput fresh = new StepInput();
    fresh.add(ordinary);
    assertThat(input.copy()).usingRecursiveComparison().isEqualTo(fresh.copy());
  }

  @Test
  void overridesAreUnitedAndAnEmptyOneStillCounts() {
    StepInput input = new StepInput();
    InputEvent empty = new InputEvent();
    empty.override = new int[0];
    input.add(empty);
    assertThat(input.overridden).isTrue();
    assertThat(input.overrideCount).isZero();
    InputEvent two = new InputEvent();
    two.override = new int[] {4, 1};
    input.add(two);
    assertThat(java.util.Arrays.copyOf(input.override, input.overrideCount)).containsExactly(4, 1);
  }
}
