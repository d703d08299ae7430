package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.SpikeRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartFilesTest {

  @TempDir Path dir;

  /** Counts the steps it sees. */
  static final class Steps implements SpikeRecordReader.Handler {
    final List<Long> seen = new ArrayList<>();

    @Override
    public int[] voltagesOf(String group) {
      return null;
    }

    @Override
    public void accept(SpikeRecordReader.Record record) {
      seen.add(record.step);
    }
  }

  private List<Path> writeParts(int files, int recordsEach) throws Exception {
    Path spikes = Files.createDirectories(dir.resolve("spikes"));
    for (int f = 0; f < files; f++) {
      List<String> lines = new ArrayList<>();
      for (int r = 0; r < recordsEach; r++) {
        long step = (long) f * recordsEach + r;
        lines.add(EventCodec.format(new SpikeRecord("g", step, step, new int[] {1}, null)));
      }
      Files.write(spikes.resolve(SpikeRuns.partName(f % 2, f)), lines);
    }
    Files.writeString(spikes.resolve(".part-x-0-9.jsonl.inprogress.1"), "not read");
    Files.writeString(spikes.resolve("README"), "not a part file");
    Files.createDirectories(spikes.resolve("part-dir"));
    return PartFiles.list(dir);
  }

  @Test
  void listsOnlyCommittedPartFilesInNameOrder() throws Exception {
    List<Path> files = writeParts(3, 1);
    assertThat(files)
        .extracting(file -> file.getFileName().toString())
        .containsExactly(
            SpikeRuns.partName(0, 0), SpikeRuns.partName(0, 2), SpikeRuns.partName(1, 1));
  }

  @Test
  void everyRecordIsSeenOnceAcrossTheThreads() throws Exception {
    List<Path> files = writeParts(7, 500);
    List<Steps> readers = PartFiles.read(files, 3, Steps::new);
    assertThat(readers).hasSize(3);
    List<Long> all = new ArrayList<>();
    readers.forEach(reader -> all.addAll(reader.seen));
    assertThat(all).hasSize(3500).doesNotHaveDuplicates();
    assertThat(PartFiles.read(files, 1, Steps::new))
        .singleElement()
        .satisfies(reader -> assertThat(reader.seen).hasSize(3500));
  }

  @Test
  void theFirstBadFileInNameOrderIsReported() throws Exception {
    List<Path> files = writeParts(6, 200);
    Files.writeString(files.get(4), "{\"group\":\"g\"}\n");
    Files.writeString(files.get(2), "{\"step\":1}\n");
    assertThatThrownBy(() -> PartFiles.read(files, 2, Steps::new))
        .isInstanceOf(PlotException.class)
        .hasMessage("spike record at '" + files.get(2) + "' line 1: missing field 'group'");
  }
}
