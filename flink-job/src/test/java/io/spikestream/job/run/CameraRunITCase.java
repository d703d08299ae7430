package io.spikestream.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.OutputFiles;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.io.camera.CameraInputITCase;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import io.spikestream.job.io.evt3.Evt3Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-camera input from the command line: damaged files end with exit code 0, the events before
 * the damage kept and the damage a dead letter; a file of another kind, or a group that cannot take
 * camera events, is a one-line error before anything runs.
 */
class CameraRunITCase {

  @TempDir Path dir;

  String[] args(Path input, Path output, String... extra) throws Exception {
    Files.writeString(dir.resolve("groups.yaml"), CameraInputITCase.GROUPS);
    String[] base = {
      "--groups",
      dir.resolve("groups.yaml").toString(),
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--input-format",
      "evt3",
      "--input-group",
      "cam",
      "--parallelism",
      "1"
    };
    String[] all = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void aTruncatedFileKeepsItsEventsBeforeTheDamageAndEndsWithExitCodeZero() throws Exception {
    List<Event> events = CameraInputITCase.recording(new Random(7), 5000, true);
    byte[] whole = Evt3Files.write(events, 2048, new Random(7));
    Path whole1 = dir.resolve("whole.raw");
    Files.write(whole1, whole);
    Path cut = dir.resolve("cut.raw");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 3)); // the last word cut in half

    JobRunITCase.Result full = JobRunITCase.run(args(whole1, dir.resolve("full")));
    JobRunITCase.Result damaged = JobRunITCase.run(args(cut, dir.resolve("damaged")));

    assertThat(damaged.exitCode()).as(String.join("\n", damaged.err())).isZero();
    List<String> letters = OutputFiles.lines(dir.resolve("damaged").resolve(JobIo.DEAD_LETTER));
    assertThat(letters)
        .hasSize(OutputFiles.lines(dir.resolve("full").resolve(JobIo.DEAD_LETTER)).size() + 1)
        .anyMatch(
            letter ->
                letter.contains("\"source\":\"" + cut + "\",\"position\":" + (whole.length - 4)));
    // the two words cut carried at most 24 events (two vector words of 12)
    assertThat(applied(damaged)).isBetween(applied(full) - 24, applied(full) - 1);
    assertThat(OutputFiles.lines(dir.resolve("damaged").resolve(JobIo.SPIKES))).isNotEmpty();
  }

  @Test
  void garbageEndsWithExitCodeZeroAndItsDamageCounted() throws Exception {
    byte[] garbage = new byte[40_000];
    new Random(3).nextBytes(garbage);
    byte[] file =
        concat("% evt 3.0\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), garbage);
    Path input = dir.resolve("garbage.raw");
    Files.write(input, file);
    JobRunITCase.Result result = JobRunITCase.run(args(input, dir.resolve("out")));
    assertThat(result.exitCode()).as(String.join("\n", result.err())).isZero();
    assertThat(result.lastLine()).startsWith("spikestream: done: events=");
    assertThat(OutputFiles.lines(dir.resolve("out").resolve(JobIo.DEAD_LETTER))).isNotEmpty();
  }

  @Test
  void aFileOfAnotherKindIsOneLineAndExitCodeTwoBeforeAnythingRuns() throws Exception {
    Path json = dir.resolve("events.jsonl");
    Files.writeString(json, "{\"group\":\"cam\",\"t\":1,\"override\":[]}\n");
    JobRunITCase.Result result = JobRunITCase.run(args(json, dir.resolve("out")));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).hasSize(1);
    assertThat(result.err().get(0)).startsWith("spikestream: " + json).contains("EVT 3.0");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void anInputGroupThatCannotTakeCameraEventsIsOneLineAndExitCodeTwo() throws Exception {
    Path input = dir.resolve("in.raw");
    Files.write(input, Evt3Files.write(List.of(new Event(5, 1, 1, 1)), 2048, new Random(1)));
    String[] unknown = args(input, dir.resolve("out"));
    unknown[Arrays.asList(unknown).indexOf("cam")] = "retina";
    JobRunITCase.Result result = JobRunITCase.run(unknown);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .containsExactly(
            "spikestream: --input-group 'retina' is not a group of "
                + dir.resolve("groups.yaml")
                + " (its groups: cam)");

    Files.writeString(
        dir.resolve("flat.yaml"),
        "groups:\n  - {id: cam, model: exact, shape: [100], step_time: 1, rest_v: -65, thresh_v:"
            + " -50}\n");
    String[] flat = args(input, dir.resolve("out"));
    flat[1] = dir.resolve("flat.yaml").toString();
    JobRunITCase.Result misfit = JobRunITCase.run(flat);
    assertThat(misfit.exitCode()).isEqualTo(2);
    assertThat(misfit.err().get(0)).contains("takes no camera events");

    List<String> withoutGroup = new java.util.ArrayList<>(List.of(args(input, dir.resolve("out"))));
    withoutGroup.subList(8, 10).clear(); // --input-group cam
    JobRunITCase.Result noGroup = JobRunITCase.run(withoutGroup.toArray(String[]::new));
    assertThat(noGroup.exitCode()).isEqualTo(2);
    assertThat(noGroup.err().get(0))
        .isEqualTo("spikestream: option --input-group is required with --input-format evt3");
  }

  private static long applied(JobRunITCase.Result result) {
    String done = result.lastLine();
    assertThat(done).startsWith("spikestream: done: events=");
    String applied = done.substring(done.indexOf("applied=") + 8);
    return Long.parseLong(applied.substring(0, applied.indexOf(' ')));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
