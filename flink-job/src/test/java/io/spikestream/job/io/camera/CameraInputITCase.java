package io.spikestream.job.io.camera;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.JobRuns;
import io.spikestream.job.OutputFiles;
import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.io.aedat4.Aedat4Files;
import io.spikestream.job.io.camera.RecordedEvents.Event;
import io.spikestream.job.io.dat.DatFiles;
import io.spikestream.job.io.evt2.Evt2Files;
import io.spikestream.job.io.evt3.Evt3Files;
import io.spikestream.job.io.npy.NpyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Event-camera files through the whole job on a MiniCluster: for each format, the spike records,
 * the late events and the dead letters equal those of the same events as sparse JSON lines (decoded
 * from the same file, one line each, in the decoder's order), which is what batching a step's
 * events into one record must not change; exactly once across an injected failure and a savepoint
 * resumed at another parallelism.
 */
public class CameraInputITCase {

  @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRuns.miniCluster();

  private static final long SEED = Long.getLong("spikestream.seed", 20261201L);

  /** A 1280 x 720 sensor pooled by 16 onto [2, 45, 80]; steps of 0.5 ms. */
  public static final String GROUPS =
      "groups:\n"
          + "  - {id: cam, model: exact, shape: [2, 45, 80], step_time: 0.5, rest_v: -65,"
          + " thresh_v: -50, pool: 16, event_current: 0.25}\n";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(CameraFormat.class)
  void eachFormatGivesTheOutputOfTheSameEventsAsJsonLines(CameraFormat format) throws Exception {
    Random random = new Random(SEED + format.ordinal());
    byte[] file = write(format, recording(random, 20_000, sensorOrder(format)), random);
    Path camera = dir.resolve("camera").resolve("events." + format.formatName());
    Files.createDirectories(camera.getParent());
    Files.write(camera, file);
    Path json = dir.resolve("json").resolve("events.jsonl");
    Files.createDirectories(json.getParent());
    Files.write(json, jsonLines(format, file));

    // one reader: which steps have run when an event arrives is then fixed by the file alone (at
    // parallelism 2 the reader without a file holds the watermark back until it ends, so how many
    // out-of-order events are late depends on when it does)
    Path cameraOut = dir.resolve("camera-out");
    String[] oneReader = {"--parallelism", "1", "--input-format", format.formatName()};
    run(options(camera, cameraOut, concat(oneReader, "--input-group", "cam")));
    Path jsonOut = dir.resolve("json-out");
    run(options(json, jsonOut, "--parallelism", "1"));

    List<String> spikes = OutputFiles.lines(cameraOut.resolve(JobIo.SPIKES));
    assertThat(spikes).as("seed %d", SEED).isNotEmpty();
    assertThat(spikes)
        .containsExactlyInAnyOrderElementsOf(OutputFiles.lines(jsonOut.resolve(JobIo.SPIKES)));
    assertThat(eventsIn(OutputFiles.lines(cameraOut.resolve(JobIo.LATE))))
        .isEqualTo(eventsIn(OutputFiles.lines(jsonOut.resolve(JobIo.LATE))));
    assertThat(OutputFiles.lines(cameraOut.resolve(JobIo.DEAD_LETTER)))
        .hasSameSizeAs(OutputFiles.lines(jsonOut.resolve(JobIo.DEAD_LETTER)))
        .allMatch(letter -> letter.contains("\"source\":\"" + camera + "\",\"position\":"));
    if (!sensorOrder(format)) {
      assertThat(eventsIn(OutputFiles.lines(cameraOut.resolve(JobIo.LATE))))
          .as("the recording has late events")
          .isPositive();
    }
  }

  @Test
  void exactlyOnceAcrossAFailureAndASavepointResumedAtAnotherParallelism() throws Exception {
    JobRuns.FailOnce.failed.set(false);
    Random random = new Random(SEED);
    byte[] file = write(CameraFormat.EVT3, recording(random, 200_000, true), random);
    Path camera = dir.resolve("in.raw");
    Files.write(camera, file);
    String[] format = {"--input-format", "evt3", "--input-group", "cam"};

    Path straight = dir.resolve("straight");
    run(options(camera, straight, concat(format, "--parallelism", "2")));
    List<String> expected = OutputFiles.lines(straight.resolve(JobIo.SPIKES));

    Path failed = dir.resolve("failed");
    JobOptions withFailure = options(camera, failed, concat(format, "--parallelism", "2"));
    JobRuns.build(withFailure, groups(), JobRuns.failOnce(1, 50)).execute("failure");
    assertThat(JobRuns.FailOnce.failed).isTrue();
    assertThat(OutputFiles.lines(failed.resolve(JobIo.SPIKES)))
        .containsExactlyInAnyOrderElementsOf(expected);

    Path resumed = dir.resolve("resumed");
    JobOptions first = options(camera, resumed, concat(format, "--parallelism", "1"));
    JobClient job = JobRuns.build(first, groups(), JobRuns.paced(1)).executeAsync("first");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (OutputFiles.lines(resumed.resolve(JobIo.SPIKES)).isEmpty()) {
      assertThat(System.nanoTime()).as("first commit in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    String savepoint =
        job.stopWithSavepoint(
                false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get();
    assertThat(OutputFiles.lines(resumed.resolve(JobIo.SPIKES))).hasSizeLessThan(expected.size());
    JobOptions second =
        options(
            camera, resumed, concat(format, "--parallelism", "2", "--from-savepoint", savepoint));
    JobRuns.build(second, groups(), s -> s).execute("second");
    assertThat(OutputFiles.lines(resumed.resolve(JobIo.SPIKES)))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aWatchedDirectoryOfCameraFilesAtParallelismTwoGivesEveryFilesSteps() throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Path output = dir.resolve("out");
    JobOptions options =
        options(
            input,
            output,
            "--parallelism",
            "2",
            "--input-format",
            "csv",
            "--input-group",
            "cam",
            "--monitor",
            "--monitor-interval-ms",
            "100",
            "--flush-idle-ms",
            "300");
    JobClient job = JobRuns.build(options, groups(), s -> s).executeAsync("camera monitor");
    java.util.Set<String> steps = new java.util.TreeSet<>();
    try {
      for (int f = 0; f < 3; f++) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          long t = f * 50_000L + i * 100L; // 0.1 ms apart, each file 50 ms after the last
          events.add(new Event(t, (i * 37) % 1280, (i * 11) % 720, i % 2));
          steps.add("\"step\":" + (t / 500) + ",");
        }
        Path staged = dir.resolve("file-" + f + ".csv");
        Files.write(staged, csv(events));
        Files.move(staged, input.resolve(staged.getFileName()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (OutputFiles.lines(output.resolve(JobIo.SPIKES)).size() < steps.size()) {
          assertThat(System.nanoTime()).as("file %d's steps out in time", f).isLessThan(deadline);
          Thread.sleep(100);
        }
      }
    } finally {
      job.cancel().get();
    }
    List<String> spikes = OutputFiles.lines(output.resolve(JobIo.SPIKES));
    assertThat(spikes).hasSize(steps.size());
    for (String step : steps) {
      assertThat(spikes).anyMatch(record -> record.contains(step));
    }
  }

  /** EVT files are written in the sensor's order (sorted by time); the others as given. */
  static boolean sensorOrder(CameraFormat format) {
    return format == CameraFormat.EVT2 || format == CameraFormat.EVT3;
  }

  /**
   * Random events over about 100 ms of a 1280 x 720 sensor, in bursts along rows; unless in sensor
   * order, with some events up to 5 ms behind (late with an out-of-orderness of 1 ms, or stragglers
   * of steps not run yet) and some outside the sensor (dead letters).
   */
  public static List<Event> recording(Random random, int count, boolean sorted) {
    List<Event> events = new ArrayList<>();
    long t = 1_000;
    while (events.size() < count) {
      t += random.nextInt(12);
      int y = random.nextInt(720);
      int x = random.nextInt(1280 - 40);
      int p = random.nextInt(2);
      for (int run = random.nextInt(8); run >= 0 && events.size() < count; run--) {
        long when = t;
        if (!sorted && random.nextInt(100) == 0) {
          when = Math.max(0, t - random.nextInt(5_000));
        }
        int column = x + run * (1 + random.nextInt(3));
        if (!sorted && random.nextInt(500) == 0) {
          column = 1280 + random.nextInt(500); // beyond the sensor: a dead letter
        }
        events.add(new Event(when, column, y, p));
      }
    }
    return events;
  }

  static byte[] write(CameraFormat format, List<Event> events, Random random) {
    return switch (format) {
      case EVT2 -> Evt2Files.write(events, random);
      case EVT3 -> Evt3Files.write(events, 2048, random);
      case DAT -> DatFiles.write(events);
      case AEDAT4 -> Aedat4Files.write(events, 700);
      case CSV -> csv(events);
      case NPY -> NpyFiles.write(events, random);
    };
  }

  private static byte[] csv(List<Event> events) {
    StringBuilder text = new StringBuilder("t,x,y,p\n");
    for (Event e : events) {
      text.append(e.t()).append(',').append(e.x()).append(',').append(e.y()).append(',');
      text.append(e.p()).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The file's events as the decoder reports them, each as its own sparse JSON line at the neuron
   * the group's mapping gives (an index out of range where the event is outside the shape); its
   * damage as lines that are not JSON. Both dead letters either way.
   */
  private static List<String> jsonLines(CameraFormat format, byte[] file) {
    RecordedEvents decoded = Decoding.whole(format.newDecoder(false), file);
    List<String> lines = new ArrayList<>();
    int damage = 0;
    for (int i = 0; i < decoded.events().size(); i++) {
      while (damage < decoded.damages().size() && decoded.damageEventIndex().get(damage) == i) {
        lines.add("damaged");
        damage++;
      }
      Event e = decoded.events().get(i);
      int column = e.x() / 16;
      int row = e.y() / 16;
      int index = column < 80 && row < 45 ? e.p() * 45 * 80 + row * 80 + column : 2 * 45 * 80;
      lines.add(
          "{\"group\":\"cam\",\"t\":"
              + (e.t() / 1000.0)
              + ",\"index\":["
              + index
              + "],\"current\":[0.25]}");
    }
    for (; damage < decoded.damages().size(); damage++) {
      lines.add("damaged");
    }
    return lines;
  }

  private static final Pattern EVENTS = Pattern.compile("\"events\":(\\d+)");

  /** The input events that late records stand for: a batch's count, or 1. */
  private static long eventsIn(List<String> late) {
    long events = 0;
    for (String record : late) {
      Matcher count = EVENTS.matcher(record);
      events += count.find() ? Long.parseLong(count.group(1)) : 1;
    }
    return events;
  }

  private Map<String, GroupConfig> groups() {
    return GroupsFile.parse(GROUPS);
  }

  private JobOptions options(Path input, Path output, String... extra) throws Exception {
    Files.writeString(dir.resolve("groups.yaml"), GROUPS);
    return JobRuns.options(
        dir.resolve("groups.yaml"),
        input,
        output,
        concat(new String[] {"--out-of-orderness-ms", "1"}, extra));
  }

  private void run(JobOptions options) throws Exception {
    JobRuns.build(options, groups(), s -> s).execute("camera");
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
