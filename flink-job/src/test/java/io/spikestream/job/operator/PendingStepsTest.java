package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** PendingSteps against a TreeMap, over random mostly-in-order additions and polls. */
class PendingStepsTest {

  private static final long SEED = Long.getLong("spikestream.seed", 20261124L);

  @RepeatedTest(50)
  void behavesAsASortedMapOfSteps(RepetitionInfo repetition) {
    Random random = new Random(SEED + repetition.getCurrentRepetition());
    PendingSteps pending = new PendingSteps();
    TreeMap<Long, StepInput> expected = new TreeMap<>();
    long newest = random.nextInt(100) - 50;
    int disorder = 1 + random.nextInt(20);
    for (int op = 0; op < 2000; op++) {
      int what = random.nextInt(10);
      if (what < 6) {
        // mostly the next steps, sometimes one up to `disorder` steps back
        long step =
            random.nextInt(4) == 0 ? newest - random.nextInt(disorder) : newest + random.nextInt(3);
        newest = Math.max(newest, step);
        assertThat(pending.get(step)).isSameAs(expected.get(step));
        if (!expected.containsKey(step)) {
          StepInput input = new StepInput();
          pending.add(step, input);
          expected.put(step, input);
        }
      } else if (what < 9 && !expected.isEmpty()) {
        assertThat(pending.firstStep()).isEqualTo(expected.firstKey());
        assertThat(pending.pollFirst()).isSameAs(expected.pollFirstEntry().getValue());
      } else {
        long step = newest - random.nextInt(2 * disorder);
        assertThat(pending.get(step)).isSameAs(expected.get(step));
      }
      assertThat(pending.isEmpty()).isEqualTo(expected.isEmpty());
      assertThat(contents(pending)).containsExactlyElementsOf(expected.entrySet());
    }
  }

  private static List<Map.Entry<Long, StepInput>> contents(PendingSteps pending) {
    List<Map.Entry<Long, StepInput>> entries = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      entries.add(Map.entry(pending.stepAt(i), pending.inputAt(i)));
    }
    return entries;
  }
}
