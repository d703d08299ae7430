package io.spikestream.job.plot;

import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.SpikeRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes runs the way the job commits them: spike records formatted by {@link EventCodec}, spread
 * over part files in {@code OUTPUT/spikes/} in shuffled order, groups interleaved.
 */
final class SpikeRuns {

  private SpikeRuns() {}

  /**
   * @param output the output directory; {@code spikes/} is created in it
   * @param files how many part files to spread the records over
   * @param seed the shuffle's seed
   * @param records the records
   * @return the spikes directory
   */
  static Path write(Path output, int files, long seed, List<SpikeRecord> records)
      throws IOException {
    Path spikes = Files.createDirectories(output.resolve("spikes"));
    List<SpikeRecord> shuffled = new ArrayList<>(records);
    Collections.shuffle(shuffled, new Random(seed));
    List<List<String>> parts = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      parts.add(new ArrayList<>());
    }
    for (int i = 0; i < shuffled.size(); i++) {
      parts.get(i % files).add(EventCodec.format(shuffled.get(i)));
    }
    for (int i = 0; i < files; i++) {
      Files.write(spikes.resolve(partName(i % 2, i)), parts.get(i));
    }
    return spikes;
  }

  /**
   * @return a committed part file's name, {@code part-<uuid>-<subtask>-<n>.jsonl}
   */
  static String partName(int subtask, int n) {
    return "part-3f2a9c1e-77d4-4b8e-9a51-0c6e5d8b2f10-" + subtask + "-" + n + ".jsonl";
  }

  /**
   * Writes a file that the sink is still writing, which the plot must not read.
   *
   * @param spikes the spikes directory
   * @param records its records
   */
  static void writeInProgress(Path spikes, List<SpikeRecord> records) throws IOException {
    List<String> lines = records.stream().map(EventCodec::format).toList();
    Files.write(spikes.resolve("." + partName(1, 9) + ".inprogress.5b1d0f6a"), lines);
  }
}
