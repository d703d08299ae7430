package io.spikestream.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** DueQueue against a TreeMap of lists, over random additions and polls. */
class DueQueueTest {

  private static final long SEED = Long.getLong("spikestream.seed", 20261124L);

  @RepeatedTest(50)
  void pollsItemsByDueTimeInTheOrderAdded(RepetitionInfo repetition) {
    Random random = new Random(SEED + repetition.getCurrentRepetition());
    DueQueue<Integer> queue = new DueQueue<>();
    TreeMap<Long, List<Integer>> expected = new TreeMap<>();
    long newest = 0;
    for (int item = 0; item < 3000; item++) {
      if (random.nextInt(4) == 0 && !expected.isEmpty()) {
        assertThat(queue.firstDue()).isEqualTo(expected.firstKey());
        assertThat(queue.pollFirst())
            .containsExactlyElementsOf(expected.pollFirstEntry().getValue());
      } else {
        // mostly the newest due time again, sometimes a later or an earlier one
        int change = random.nextInt(6);
        long due = change == 0 ? newest - random.nextInt(5) : newest + (change == 1 ? 1 : 0);
        newest = Math.max(newest, due);
        queue.add(due, item);
        expected.computeIfAbsent(due, key -> new ArrayList<>()).add(item);
      }
      assertThat(queue.isEmpty()).isEqualTo(expected.isEmpty());
      assertThat(queue.firstDue())
          .isEqualTo(expected.isEmpty() ? Long.MAX_VALUE : expected.firstKey());
    }
  }

  @RepeatedTest(50)
  void keepsManyScatteredDueTimesApart(RepetitionInfo repetition) {
    // thousands of distinct due times alive at once, spread over the whole long range and in
    // clusters a step apart: the table grows, probes collide and deletions shift entries back
    Random random = new Random(SEED + 1000 + repetition.getCurrentRepetition());
    DueQueue<Integer> queue = new DueQueue<>();
    TreeMap<Long, List<Integer>> expected = new TreeMap<>();
    long[] edges = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1};
    for (int item = 0; item < 20_000; item++) {
      if (random.nextInt(3) == 0 && !expected.isEmpty()) {
        assertThat(queue.pollFirst())
            .containsExactlyElementsOf(expected.pollFirstEntry().getValue());
      } else {
        long due =
            switch (random.nextInt(4)) {
              case 0 -> random.nextLong();
              case 1 -> edges[random.nextInt(edges.length)];
              case 2 -> (random.nextInt(5000) << 10) + 7; // same low bits, many of them
              default -> random.nextInt(3000); // consecutive steps
            };
        queue.add(due, item);
        expected.computeIfAbsent(due, key -> new ArrayList<>()).add(item);
      }
      assertThat(queue.firstDue())
          .isEqualTo(expected.isEmpty() ? Long.MAX_VALUE : expected.firstKey());
    }
    while (!expected.isEmpty()) {
      assertThat(queue.pollFirst()).containsExactlyElementsOf(expected.pollFirstEntry().getValue());
    }
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aDueTimeAddedAgainAfterItWasPolledStartsAFreshBucket() {
    DueQueue<String> queue = new DueQueue<>();
    queue.add(5, "a");
    assertThat(queue.pollFirst()).containsExactly("a");
    queue.add(5, "b");
    assertThat(queue.isEmpty()).isFalse();
    assertThat(queue.pollFirst()).containsExactly("b");
    assertThat(queue.isEmpty()).isTrue();
  }
}
