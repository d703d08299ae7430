package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.SpikeRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpikeRecordReaderTest {

  @TempDir Path dir;

  /** Collects what the reader hands over, copying the reused arrays. */
  static final class Collected implements SpikeRecordReader.Handler {
    final int[] wanted;
    final List<String> records = new ArrayList<>();

    Collected(int... wanted) {
      this.wanted = wanted;
    }

    @Override
    public int[] voltagesOf(String group) {
      return group.equals("v1") ? wanted : null;
    }

    @Override
    public void accept(SpikeRecordReader.Record r) {
      records.add(
          r.group
              + " "
              + r.step
              + " "
              + r.t
              + " "
              + Arrays.toString(Arrays.copyOf(r.spikes, r.spikeCount))
              + " "
              + r.voltageCount
              + (r.voltageCount >= 0 && voltagesOf(r.group) != null
                  ? " " + Arrays.toString(Arrays.copyOf(r.selected, wanted.length))
                  : ""));
    }
  }

  private Path file(String... lines) throws Exception {
    return Files.write(dir.resolve("part-x-0-0.jsonl"), List.of(lines));
  }

  @Test
  void readsWhatTheJobWritesAndDecodesOnlyTheWantedVoltages() throws Exception {
    Path file =
        file(
            EventCodec.format(new SpikeRecord("retina", 12, 12.0, new int[] {3, 17}, null)),
            EventCodec.format(
                new SpikeRecord("v1", 4, 7.25, new int[] {}, new float[] {-65f, -64.5f, -50f})),
            EventCodec.format(new SpikeRecord("v1\"x", 5, 7.5, new int[] {0}, new float[] {1f})));
    Collected collected = new Collected(0, 2);
    SpikeRecordReader.read(file, collected);
    assertThat(collected.records)
        .containsExactly(
            "retina 12 12.0 [3, 17] -1",
            "v1 4 7.25 [] 3 [-65.0, -50.0]",
            "v1\"x 5 7.5 [0] 1"); // an escaped id is read back as it was
  }

  @Test
  void voltagesBeforeTheGroupAndUnknownFieldsAreRead() throws Exception {
    Path file =
        file(
            "{\"voltage\":[1.5,2.5,3.5],\"spikes\":[1],\"extra\":{\"a\":[1,2]},"
                + "\"t\":3,\"step\":3,\"group\":\"v1\"}",
            "",
            "  {\"group\":\"v1\",\"step\":4,\"t\":4.0,\"spikes\":[],\"voltage\":[7,8,9]}");
    Collected collected = new Collected(1, 2);
    SpikeRecordReader.read(file, collected);
    assertThat(collected.records)
        .containsExactly("v1 3 3.0 [1] 3 [2.5, 3.5]", "v1 4 4.0 [] 3 [8.0, 9.0]");
  }

  @Test
  void anEmptyFileHasNoRecords() throws Exception {
    Collected collected = new Collected();
    SpikeRecordReader.read(file(), collected);
    assertThat(collected.records).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"group\":\"g\",\"step\":1,\"t\":1.0,\"spikes\":[1]|"
            + "line 2: malformed JSON: Unexpected end-of-input: expected close marker for Object",
        "[1,2]|line 2: not a JSON object",
        "{\"group\":\"g\",\"step\":1,\"t\":1.0,\"spikes\":[1]} x|"
            + "line 2: malformed JSON: Unrecognized token 'x'",
        "{\"step\":1,\"t\":1.0,\"spikes\":[]}|line 2: missing field 'group'",
        "{\"group\":\"g\",\"t\":1.0,\"spikes\":[]}|line 2: missing field 'step'",
        "{\"group\":\"g\",\"step\":1,\"spikes\":[]}|line 2: missing field 't'",
        "{\"group\":\"g\",\"step\":1,\"t\":1.0}|line 2: missing field 'spikes'",
        "{\"group\":7,\"step\":1,\"t\":1.0,\"spikes\":[]}|line 2: 'group' must be a string",
        "{\"group\":\"g\",\"step\":1.5,\"t\":1.0,\"spikes\":[]}|line 2: 'step' must be an integer",
        "{\"group\":\"g\",\"step\":1,\"t\":\"1\",\"spikes\":[]}|line 2: 't' must be a number",
        "{\"group\":\"g\",\"step\":1,\"t\":1e999,\"spikes\":[]}|line 2: 't' of 1e999 is not finite",
        "{\"group\":\"g\",\"step\":1,\"t\":1.0,\"spikes\":[1.5]}|"
            + "line 2: 'spikes' must be a list of integers",
        "{\"group\":\"g\",\"step\":1,\"t\":1.0,\"spikes\":[-1]}|"
            + "line 2: 'spikes' index -1 is not a flat index >= 0",
        "{\"group\":\"g\",\"step\":1,\"t\":1.0,\"spikes\":[],\"voltage\":[\"a\"]}|"
            + "line 2: 'voltage' must be a list of numbers",
      })
  void aBadRecordIsRefusedWithItsFileAndLine(String bad, String reason) throws Exception {
    Path file = file("{\"group\":\"g\",\"step\":0,\"t\":0.0,\"spikes\":[]}", bad);
    assertThatThrownBy(() -> SpikeRecordReader.read(file, new Collected()))
        .isInstanceOf(PlotException.class)
        .hasMessageStartingWith("spike record at '" + file + "' " + reason);
  }

  @Test
  void aHandlersObjectionNamesTheLine() throws Exception {
    Path file =
        file(
            EventCodec.format(new SpikeRecord("g", 0, 0, new int[] {}, new float[] {1, 2})),
            EventCodec.format(new SpikeRecord("g", 1, 1, new int[] {}, new float[] {1, 2, 3})));
    RunScan scan = new RunScan(StepRange.ALL, null);
    assertThatThrownBy(() -> SpikeRecordReader.read(file, scan))
        .isInstanceOf(PlotException.class)
        .hasMessage(
            "spike record at '"
                + file
                + "' line 2: 'voltage' has 3 values, earlier records of group 'g' have 2");
  }

  @Test
  void anUnreadableFileIsNamed() {
    Path missing = dir.resolve("part-gone-0-0.jsonl");
    assertThatThrownBy(() -> SpikeRecordReader.read(missing, new Collected()))
        .isInstanceOf(PlotException.class)
        .hasMessageStartingWith("cannot read '" + missing + "': ");
  }
}
