package io.spikestream.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

/** The file splits' order: natural order of the names, a total order, kept across additions. */
class NameOrderAssignerTest {

  private static final long SEED = Long.getLong("spikestream.seed", 20261202L);

  @Test
  void numbersInNamesCompareAsNumbers() {
    List<String> names =
        List.of(
            "events-1.jsonl",
            "events-2.jsonl",
            "events-9.jsonl",
            "events-10.jsonl",
            "events-11.jsonl",
            "events-100.jsonl",
            "events-100a.jsonl",
            "recording-2026-12-02T09-05.evt3",
            "recording-2026-12-02T10-00.evt3",
            "recording-2026-12-02T10-00.evt3.part2");
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, new Random(SEED));
    shuffled.sort(NameOrderAssigner::compareNames);
    assertThat(shuffled).containsExactlyElementsOf(names);
  }

  @Test
  void leadingZerosAndPrefixesDecideOnlyOnATie() {
    assertThat(NameOrderAssigner.compareNames("f-007", "f-7")).isPositive();
    assertThat(NameOrderAssigner.compareNames("f-7", "f-007")).isNegative();
    assertThat(NameOrderAssigner.compareNames("f-007", "f-8")).isNegative();
    assertThat(NameOrderAssigner.compareNames("f-0", "f-00")).isNegative();
    assertThat(NameOrderAssigner.compareNames("f", "f-1")).isNegative();
    assertThat(NameOrderAssigner.compareNames("f-1", "f-1")).isZero();
    assertThat(NameOrderAssigner.compareNames("f-1x", "f-1")).isPositive();
  }

  @Test
  void theOrderIsTotalOverRandomNames() {
    Random random = new Random(SEED);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder name = new StringBuilder();
      for (int k = random.nextInt(7); k >= 0; k--) {
        name.append("a0-19z".charAt(random.nextInt(6)));
      }
      names.add(name.toString());
    }
    for (String a : names) {
      for (String b : names) {
        int ab = Integer.signum(NameOrderAssigner.compareNames(a, b));
        assertThat(ab)
            .as("%s vs %s", a, b)
            .isEqualTo(-Integer.signum(NameOrderAssigner.compareNames(b, a)));
        assertThat(ab == 0).as("%s vs %s", a, b).isEqualTo(a.equals(b));
      }
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(NameOrderAssigner::compareNames);
    for (int i = 0; i < sorted.size(); i++) {
      for (int j = i + 1; j < sorted.size(); j++) {
        // transitive: every later name compares after every earlier one, not only its neighbour
        assertThat(NameOrderAssigner.compareNames(sorted.get(i), sorted.get(j)))
            .as("%s vs %s", sorted.get(i), sorted.get(j))
            .isLessThanOrEqualTo(0);
      }
    }
  }

  @Test
  void splitsAreHandedOutEarliestFirstAlsoAfterAdditions() {
    NameOrderAssigner assigner =
        new NameOrderAssigner(
            List.of(split("events-10", 0), split("events-2", 0), split("events-2", 100)));
    assertThat(assigner.remainingSplits())
        .extracting(NameOrderAssignerTest::name)
        .containsExactly("events-2@0", "events-2@100", "events-10@0");
    assertThat(name(assigner.getNext("host").orElseThrow())).isEqualTo("events-2@0");
    // a new file of a watched directory, and a split a failed reader gave back
    assigner.addSplits(List.of(split("events-3", 0), split("events-1", 0)));
    List<String> order = new ArrayList<>();
    for (Optional<FileSourceSplit> next = assigner.getNext(null);
        next.isPresent();
        next = assigner.getNext(null)) {
      order.add(name(next.get()));
    }
    assertThat(order).containsExactly("events-1@0", "events-2@100", "events-3@0", "events-10@0");
    assertThat(assigner.remainingSplits()).isEmpty();
  }

  private static int ids;

  private static FileSourceSplit split(String file, long offset) {
    return new FileSourceSplit(
        String.valueOf(ids++), new Path("file:/data/" + file + ".jsonl"), offset, 100, 0, 200);
  }

  private static String name(FileSourceSplit split) {
    String file = split.path().getName();
    return file.substring(0, file.length() - ".jsonl".length()) + "@" + split.offset();
  }
}
