package io.spikestream.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikestream.job.OutputFiles;
import io.spikestream.job.io.JobIo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live run as a user has it: {@code java -jar} of the job jar watching a directory, with progress
 * lines, Prometheus metrics scraped over loopback, and stopped by a signal (SIGTERM, then SIGINT
 * for the resumed run): each stop takes a savepoint and says how to resume; the resumed run
 * continues the output and the counts, and both runs together wrote each step exactly once.
 */
class SignalStopITCase {

  static final int STEPS = 40;

  private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");

  @TempDir Path dir;

  @Test
  void aSignalStopsWithASavepointThatTheNextRunResumesFrom() throws Exception {
    Files.writeString(dir.resolve("groups.yaml"), JobRunITCase.GROUPS.replace("[4]", "[8]"));
    Path input = Files.createDirectories(dir.resolve("in"));
    Path output = dir.resolve("out");
    int port = freePort();

    Process first = start(port, null, "first.log");
    awaitLine(first, "first.log", "spikestream: Web UI http://127.0.0.1:");
    drop(0, true);
    awaitSteps(first, "first.log", STEPS);
    awaitLine(first, "first.log", "spikestream: 0.");
    String metrics = scrape(port);
    assertThat(metrics)
        .contains("eventsRouted", "deadLetters", "eventsApplied", "eventsLate", "stepsRun")
        .contains("pendingSteps");
    assertThat(sum(metrics, "operator_eventsRouted")).isEqualTo(STEPS);
    assertThat(sum(metrics, "operator_deadLetters")).isEqualTo(1);
    assertThat(sum(metrics, "operator_stepsRun")).isEqualTo(STEPS);

    first.destroy(); // SIGTERM
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).as(log("first.log")).isTrue();
    assertThat(first.exitValue()).as(log("first.log")).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("first.log"));
    assertThat(lines)
        .contains("spikestream: stopping with a savepoint (again to cancel at once)")
        .anyMatch(line -> line.startsWith("spikestream: stopped with a savepoint after "));
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "spikestream: done: events="
                + (STEPS + 1)
                + " applied="
                + STEPS
                + " late=0 dead_letters=1 steps="
                + STEPS
                + " spikes="
                + STEPS);
    String resume = lines.get(lines.size() - 2);
    assertThat(resume).startsWith("spikestream: resume with --from-savepoint ");
    String savepoint = resume.substring("spikestream: resume with --from-savepoint ".length());
    assertThat(Path.of(savepoint).resolve("_metadata")).isRegularFile();

    drop(1, false);
    Process second = start(port, savepoint, "second.log");
    awaitSteps(second, "second.log", 2 * STEPS);
    new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).start().waitFor();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).as(log("second.log")).isTrue();
    assertThat(second.exitValue()).as(log("second.log")).isZero();
    List<String> resumed = Files.readAllLines(dir.resolve("second.log"));
    assertThat(resumed.get(resumed.size() - 1))
        .as("the counts go on from the first run's")
        .isEqualTo(
            "spikestream: done: events="
                + (2 * STEPS + 1)
                + " applied="
                + 2 * STEPS
                + " late=0 dead_letters=1 steps="
                + 2 * STEPS
                + " spikes="
                + 2 * STEPS);
    assertThat(steps()).hasSize(2 * STEPS); // each step once, checked in steps()
  }

  private Process start(int metricsPort, String savepoint, String log) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                // a build started in the background by a non-interactive shell ignores SIGINT,
                // and the JVM keeps an ignored SIGINT ignored: give the job the default back
                "env",
                "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/spikestream-job.jar").toAbsolutePath().toString(),
                "--groups",
                dir.resolve("groups.yaml").toString(),
                "--input",
                dir.resolve("in").toString(),
                "--output",
                dir.resolve("out").toString(),
                "--monitor",
                "--monitor-interval-ms",
                "100",
                "--parallelism",
                "2",
                "--checkpoint-interval-ms",
                "200",
                "--flush-idle-ms",
                "400",
                "--progress-interval-ms",
                "300",
                "--metrics-port",
                Integer.toString(metricsPort)));
    if (savepoint != null) {
      command.addAll(List.of("--from-savepoint", savepoint));
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start();
  }

  /** Writes file f (steps f*STEPS..), then moves it into the watched directory whole. */
  private void drop(int f, boolean withBadLine) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int step = f * STEPS; step < (f + 1) * STEPS; step++) {
      lines.append("{\"group\":\"g\",\"t\":").append(step).append(".5,\"override\":[");
      lines.append(step % 8).append("]}\n");
      if (withBadLine && step == f * STEPS + 3) {
        lines.append("{\"group\":\"g\",\"t\":\n");
      }
    }
    Path staged = dir.resolve("file-" + f + ".jsonl");
    Files.writeString(staged, lines);
    Files.move(staged, dir.resolve("in").resolve(staged.getFileName()));
  }

  private void awaitSteps(Process job, String log, int steps) throws Exception {
    await(job, log, "spike records of steps 0.." + (steps - 1), () -> steps().size() == steps);
  }

  private void awaitLine(Process job, String log, String prefix) throws Exception {
    await(
        job,
        log,
        "a line starting '" + prefix + "'",
        () -> log(log).lines().anyMatch(line -> line.startsWith(prefix)));
  }

  private void await(Process job, String log, String what, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(job.isAlive()).as("the job runs, waiting for " + what + ":\n" + log(log)).isTrue();
      assertThat(System.nanoTime()).as(what + " in time:\n" + log(log)).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private Set<Integer> steps() {
    Set<Integer> steps = new HashSet<>();
    for (String line : OutputFiles.lines(dir.resolve("out").resolve(JobIo.SPIKES))) {
      Matcher step = STEP.matcher(line);
      assertThat(step.find()).isTrue();
      int s = Integer.parseInt(step.group(1));
      assertThat(line).contains("\"spikes\":[" + (s % 8) + "]");
      assertThat(steps.add(s)).as("step %d once", s).isTrue();
    }
    return steps;
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The sum over a metric's samples (its subtasks) in Prometheus' text format. */
  private static double sum(String metrics, String nameSuffix) {
    double sum = 0;
    int samples = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      String name = brace > 0 ? line.substring(0, brace) : line.split(" ")[0];
      if (name.endsWith(nameSuffix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        samples++;
      }
    }
    assertThat(samples).as("samples of *%s", nameSuffix).isPositive();
    return sum;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
