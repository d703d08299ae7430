package io.spikestream.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikestream.job.OutputFiles;
import io.spikestream.job.RandomEvents;
import io.spikestream.job.SpikestreamJob;
import io.spikestream.job.io.JobIo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real standalone session cluster, as {@code docker/local-cluster/cluster.sh}
 * starts it: a JobManager and TaskManagers (one slot each) as separate JVMs with Flink, log4j and
 * ND4J in their {@code lib/}, the jar submitted and stopped by Flink's CLI. Checkpoints and
 * savepoints go to the cluster's shared directory; the output must equal, line for line, what a
 * per-step loop computes from the input ({@link RandomEvents}).
 *
 * <p>The input is fed as files into a directory the job monitors ({@code --monitor}): each file
 * ends with a marker line that the job sends to the dead letters, and the test writes the next file
 * only once the previous marker is committed. So the job cannot finish before the faults are done
 * however fast it runs, and every fault falls after a known completed checkpoint. {@code flink stop
 * --drain} ends a run: its final watermark runs every pending step and the sinks commit. Event time
 * is per file (the source's splits) with the job's defaults: each event moves its file's watermark
 * at once, and a reader without a file stops holding event time back after {@code --idleness-ms};
 * steps run while the files come, so the restarted tasks really ran ND4J before they are killed
 * again.
 *
 * <p>What the restarts exercise about ND4J, whose JNI libraries may belong to one classloader only:
 *
 * <ul>
 *   <li>A SIGKILLed TaskManager: the job restarts from its last checkpoint on the surviving
 *       TaskManager and a replacement. The survivor cancels and redeploys its tasks in the same
 *       JVM, which rebuild their ND4J arrays and step on; Flink keeps a job's user-code classloader
 *       on a TaskManager while the job holds a slot there (its log shows no new "JobManager
 *       connection" for the restart), so this restart reuses that classloader.
 *   <li>A new job on TaskManagers that already ran ND4J for an earlier job (the savepoint run after
 *       the kill run, and its resumption): each gets a new user-code classloader, which would load
 *       a second copy of ND4J's native libraries if ND4J came from the job jar. The cluster loads
 *       {@code org.nd4j.} and {@code org.bytedeco.} parent-first from {@code lib/}; {@link
 *       #assertNd4jLoadedOncePerTaskManager} checks each TaskManager's mapped libraries and its
 *       log: one {@code libnd4jcpu.so}, from {@code lib/}, one ND4J backend start.
 * </ul>
 *
 * <p>The scenarios share one cluster and run in order (the second uses the TaskManagers the first
 * left). Cluster logs are printed (tails) when a test fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterITCase {

  private static final long SEED = Long.getLong("spikestream.seed", 20261123L);
  private static final Path SCRIPT =
      Path.of("../docker/local-cluster/cluster.sh").toAbsolutePath().normalize();
  private static final Path JOB_JAR = Path.of("target/spikestream-job.jar").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  /** The cluster's DIR: conf, logs, pids, checkpoints, savepoints. */
  private static Path cluster;

  /** The ports, as the script's environment. */
  private static Map<String, String> ports;

  private static String rest;

  /** Prints the tails of the cluster's logs when a test fails. */
  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          printLogTails();
        }
      };

  @BeforeAll
  static void startCluster() throws Exception {
    assertThat(JOB_JAR).as("the job jar (mvn package)").exists();
    cluster = dir.resolve("cluster");
    int[] free = freePorts(3);
    ports =
        Map.of(
            "REST_PORT", String.valueOf(free[0]),
            "RPC_PORT", String.valueOf(free[1]),
            "BLOB_PORT", String.valueOf(free[2]));
    rest = "http://127.0.0.1:" + free[0];
    long start = System.nanoTime();
    script("start");
    log("cluster up in %.1f s", seconds(start));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      log("memory before stop: %s", memory());
      script("stop");
    }
  }

  /** A failed scenario must not leave its job holding the slots of the next. */
  @AfterEach
  void cancelRunningJobs() throws Exception {
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (job.path("state").asText().equals("RUNNING")) {
        script("flink", "cancel", job.path("jid").asText());
      }
    }
  }

  /**
   * Two TaskManagers are SIGKILLed in turn, each after a completed checkpoint and with a file being
   * read, and each is replaced; the job recovers both times and its output is exact.
   */
  @Test
  @Order(1)
  void killedTaskManagersAreReplacedAndTheOutputIsExact() throws Exception {
    RandomEvents events = new RandomEvents(SEED + 10, 24_000, 3);
    List<List<String>> files = split(events.lines, 6);
    Feed feed = new Feed(dir.resolve("kill"), events);
    String job = submit(feed.args("--parallelism", "2", "--state-backend", "rocksdb"));
    long start = System.nanoTime();
    waitUntil("the job runs", () -> allTasksRunning(job));

    feed.write(1, files.get(0));
    feed.write(2, files.get(1));
    assertThat(checkpoints(job).path("counts").path("completed").asInt()).isPositive();

    // kill 1: the job ran steps and is reading file 3
    int before = feed.awaitSpikesBeyond(0);
    log("kill 1 after %d committed spikes", before);
    feed.writeNoWait(3, files.get(2));
    script("kill-taskmanager", "1");
    long killed = System.nanoTime();
    script("start-taskmanager");
    waitForRecovery(job, 1);
    log("kill 1: running again from a checkpoint %.1f s after the kill", seconds(killed));
    feed.awaitMarker(3);

    // kill 2: the survivor of kill 1, which restarted its tasks in place
    feed.write(4, files.get(3));
    before = feed.awaitSpikesBeyond(before);
    feed.writeNoWait(5, files.get(4));
    log("kill 2 after %d committed spikes", before);
    script("kill-taskmanager", "2");
    killed = System.nanoTime();
    script("start-taskmanager");
    waitForRecovery(job, 2);
    log("kill 2: running again from a checkpoint %.1f s after the kill", seconds(killed));
    feed.awaitMarker(5);

    feed.write(6, files.get(5));
    stop(job, "--drain");
    log("kill run: %.1f s from submission to drained", seconds(start));
    feed.assertExact();
    assertNd4jLoadedOncePerTaskManager();
  }

  /**
   * A run stopped with a savepoint halfway at parallelism 2 and resumed from it at parallelism 1
   * gives exactly the output of one uninterrupted run.
   */
  @Test
  @Order(2)
  void stopWithSavepointAndResumeAtAnotherParallelismIsExact() throws Exception {
    RandomEvents events = new RandomEvents(SEED + 11, 12_000, 3);
    List<List<String>> files = split(events.lines, 4);
    Feed feed = new Feed(dir.resolve("savepoint"), events);
    long start = System.nanoTime();
    String first = submit(concat(List.of("-p", "2"), feed.args()));
    waitUntil("the first run runs", () -> allTasksRunning(first));
    feed.write(1, files.get(0));
    feed.write(2, files.get(1));
    String savepoint = stop(first);
    int halfway = OutputFiles.lines(feed.output.resolve(JobIo.SPIKES)).size();
    assertThat(halfway).isPositive().isLessThan(events.expectedSpikes().size());

    String second = submit(concat(List.of("-s", savepoint, "-p", "1"), feed.args()));
    waitUntil("the resumed run runs", () -> allTasksRunning(second));
    assertThat(get("/jobs/" + second).path("vertices").get(0).path("parallelism").asInt())
        .isEqualTo(1);
    feed.write(3, files.get(2));
    feed.write(4, files.get(3));
    stop(second, "--drain");
    log("savepoint run: %.1f s from first submission to drained", seconds(start));
    feed.assertExact();
    assertNd4jLoadedOncePerTaskManager();
  }

  /**
   * A bounded run over two files read at once, the second ahead in event time: the job's client
   * found the cluster's permission to pause a file reader as a whole, so the readers were aligned
   * (the JobManager distributed bounds below the second file's event times: its reader had to
   * wait), and the output is exact.
   */
  @Test
  @Order(3)
  void fileReadersAreAlignedOnTheClusterAndTheOutputIsExact() throws Exception {
    RandomEvents events = new RandomEvents(SEED + 12, 12_000, 3);
    List<List<String>> files = split(events.lines, 2);
    Feed feed = new Feed(dir.resolve("aligned"), events);
    feed.writeNoWait(1, files.get(0));
    feed.writeNoWait(2, files.get(1));
    String job = submit(feed.boundedArgs("--parallelism", "2", "--max-drift-ms", "100"));
    waitUntil(
        "the bounded run finishes",
        () -> get("/jobs/" + job).path("state").asText().equals("FINISHED"));
    feed.assertExact();

    double secondFileStart = Double.MAX_VALUE;
    for (String line : files.get(1)) {
      JsonNode event = parseOrNull(line);
      if (event != null && event.path("t").isNumber()) {
        secondFileStart = Math.min(secondFileStart, event.path("t").asDouble());
      }
    }
    Matcher bound =
        Pattern.compile("maxAllowedWatermark=(-?\\d+) of group=" + SpikestreamJob.ALIGNMENT_GROUP)
            .matcher(Files.readString(cluster.resolve("log").resolve("jobmanager.log")));
    long lowest = Long.MAX_VALUE;
    while (bound.find()) {
      lowest = Math.min(lowest, Long.parseLong(bound.group(1)));
    }
    assertThat(lowest)
        .as("lowest alignment bound the JobManager distributed")
        .isLessThan((long) secondFileStart);
  }

  private static JsonNode parseOrNull(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null; // one of the bad lines
    }
  }

  // ---- the input feed and the expected output ----

  /** A monitored input directory fed file by file, and the run's output directory. */
  private static final class Feed {
    final Path input;
    final Path output;
    final Path groups;
    final RandomEvents events;
    int markers;

    Feed(Path root, RandomEvents events) throws IOException {
      this.input = Files.createDirectories(root.resolve("input"));
      this.output = root.resolve("output");
      this.groups = root.resolve("groups.yaml");
      this.events = events;
      Files.writeString(groups, events.groupsYaml());
    }

    /** The job's arguments; {@code extra} go before them (the job takes no CLI options). */
    List<String> args(String... extra) {
      List<String> args = boundedArgs(extra);
      args.addAll(List.of("--monitor", "--monitor-interval-ms", "200"));
      return args;
    }

    /** The arguments of a run that reads the input directory once, to its end. */
    List<String> boundedArgs(String... extra) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--groups", groups.toString(),
                  "--input", input.toString(),
                  "--output", output.toString(),
                  "--checkpoint-dir", cluster.resolve("checkpoints").toUri().toString(),
                  "--checkpoint-interval-ms", "300",
                  "--out-of-orderness-ms", "3"));
      args.addAll(List.of(extra));
      return args;
    }

    /** Writes input file {@code n} (lines, then its marker) and waits until it is committed. */
    void write(int n, List<String> lines) throws Exception {
      writeNoWait(n, lines);
      awaitMarker(n);
    }

    /** Writes input file {@code n} at once (the source skips the hidden file being written). */
    void writeNoWait(int n, List<String> lines) throws IOException {
      Path hidden = input.resolve(".events-" + n + ".jsonl");
      Files.write(hidden, concat(lines, List.of(marker(n))));
      Files.move(hidden, input.resolve("events-" + n + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
      markers++;
    }

    /** Waits until file {@code n}'s marker is in the committed dead letters. */
    void awaitMarker(int n) throws Exception {
      String committed = "\"line\":\"" + marker(n) + "\"";
      waitUntil(
          "file " + n + " read and committed",
          () ->
              OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER)).stream()
                  .anyMatch(line -> line.contains(committed)));
    }

    /** Waits until more than {@code count} spike lines are committed; returns how many. */
    int awaitSpikesBeyond(int count) throws Exception {
      waitUntil("more than " + count + " spikes committed", () -> spikes() > count);
      return spikes();
    }

    int spikes() {
      return OutputFiles.lines(output.resolve(JobIo.SPIKES)).size();
    }

    private static String marker(int n) {
      return "end of file " + n;
    }

    void assertExact() throws Exception {
      assertThat(OutputFiles.lines(output.resolve(JobIo.SPIKES)))
          .as("spikes of seed %d", SEED)
          .containsExactlyInAnyOrderElementsOf(events.expectedSpikes());
      assertThat(OutputFiles.lines(output.resolve(JobIo.DEAD_LETTER)))
          .as("dead letters: the bad lines and one marker per file")
          .hasSize(events.badLines + markers);
      assertThat(OutputFiles.lines(output.resolve(JobIo.LATE))).isEmpty();
    }
  }

  private static List<List<String>> split(List<String> lines, int parts) {
    List<List<String>> files = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      files.add(lines.subList(lines.size() * i / parts, lines.size() * (i + 1) / parts));
    }
    return files;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // ---- the cluster, through the script and the REST API ----

  /** Runs {@code cluster.sh COMMAND DIR ARGS...} and returns its output; fails unless exit 0. */
  private static String script(String command, String... args) throws Exception {
    List<String> line =
        new ArrayList<>(List.of("bash", SCRIPT.toString(), command, cluster.toString()));
    line.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "script-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().putAll(ports);
    String repository = System.getProperty("spikestream.maven.repo");
    if (repository != null) {
      // cluster.sh builds the cluster's lib/ with Maven: from this build's own repository
      builder.environment().put("MVN_ARGS", "-Dmaven.repo.local=" + repository);
    }
    Process process = builder.start();
    boolean done = process.waitFor(3, TimeUnit.MINUTES);
    if (!done) {
      process.destroyForcibly();
    }
    String output = Files.readString(out);
    assertThat(done && process.exitValue() == 0)
        .as("cluster.sh %s %s exits 0; output:%n%s", command, String.join(" ", args), output)
        .isTrue();
    return output;
  }

  /** {@code flink run -d} of the job jar; returns the job id. */
  private static String submit(List<String> args) throws Exception {
    List<String> line = new ArrayList<>(List.of("run", "-d"));
    int jar = args.indexOf("--groups");
    line.addAll(args.subList(0, jar)); // CLI options
    line.add(JOB_JAR.toString());
    line.addAll(args.subList(jar, args.size()));
    String output = script("flink", line.toArray(String[]::new));
    Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(output);
    assertThat(id.find()).as("a job id in:%n%s", output).isTrue();
    return id.group(1);
  }

  /** {@code flink stop} with a savepoint; waits until the job finished; returns the savepoint. */
  private static String stop(String job, String... options) throws Exception {
    List<String> line =
        new ArrayList<>(
            List.of("stop", "--savepointPath", cluster.resolve("savepoints").toUri().toString()));
    line.addAll(List.of(options));
    line.add(job);
    String output = script("flink", line.toArray(String[]::new));
    Matcher path = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(output);
    assertThat(path.find()).as("a savepoint path in:%n%s", output).isTrue();
    waitUntil(
        "job " + job + " finished",
        () -> get("/jobs/" + job).path("state").asText().equals("FINISHED"));
    return path.group(1);
  }

  /**
   * Waits until the job restored a checkpoint for the {@code restores}-th time, runs all its tasks
   * and completed a newer checkpoint.
   */
  private static void waitForRecovery(String job, int restores) throws Exception {
    waitUntil(
        "restore " + restores + " of job " + job,
        () -> {
          JsonNode checkpoints = checkpoints(job);
          JsonNode latest = checkpoints.path("latest");
          return checkpoints.path("counts").path("restored").asInt() >= restores
              && allTasksRunning(job)
              && latest.path("completed").path("id").asLong()
                  > latest.path("restored").path("id").asLong();
        });
  }

  private static boolean allTasksRunning(String job) throws Exception {
    JsonNode details = get("/jobs/" + job);
    if (!details.path("state").asText().equals("RUNNING")) {
      return false;
    }
    for (JsonNode vertex : details.path("vertices")) {
      if (!vertex.path("status").asText().equals("RUNNING")) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode checkpoints(String job) throws Exception {
    return get("/jobs/" + job + "/checkpoints");
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static void waitUntil(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("%s within %s", what, TIMEOUT).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  // ---- ND4J in the TaskManagers ----

  /**
   * Every running TaskManager mapped at most one {@code libnd4jcpu.so}, the one unpacked from
   * {@code lib/}'s nd4j-native jar (a copy loaded through a job's classloader would come from the
   * job jar in Flink's blob store), and logged ND4J's backend start at most once over all the jobs
   * and restarts it ran; at least one of them ran ND4J.
   */
  private static void assertNd4jLoadedOncePerTaskManager() throws Exception {
    int withNd4j = 0;
    try (Stream<Path> pids = Files.list(cluster.resolve("pids"))) {
      for (Path pidFile :
          pids.filter(p -> p.getFileName().toString().startsWith("taskmanager"))
              .sorted()
              .toList()) {
        String name = pidFile.getFileName().toString().replace(".pid", "");
        Path maps = Path.of("/proc", Files.readString(pidFile).trim(), "maps");
        if (!Files.exists(maps)) {
          continue; // killed
        }
        List<String> libraries =
            Files.readAllLines(maps).stream()
                .filter(line -> line.endsWith("/libnd4jcpu.so"))
                .map(line -> line.substring(line.indexOf('/')))
                .distinct()
                .toList();
        assertThat(libraries)
            .as("libnd4jcpu.so mapped by %s", name)
            .hasSizeLessThanOrEqualTo(1)
            .allMatch(path -> path.contains("/nd4j-native-"));
        long starts =
            Files.readAllLines(cluster.resolve("log").resolve(name + ".log")).stream()
                .filter(line -> line.contains("Loaded [CpuBackend] backend"))
                .count();
        assertThat(starts).as("ND4J backend starts logged by %s", name).isEqualTo(libraries.size());
        withNd4j += libraries.size();
        log("%s: ND4J loaded %d time(s), %s", name, starts, libraries);
      }
    }
    assertThat(withNd4j).as("TaskManagers that ran ND4J").isPositive();
  }

  // ---- helpers ----

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] free = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(socket);
        free[i] = socket.getLocalPort();
      }
      return free;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Resident memory of the cluster's running processes, from /proc. */
  private static String memory() throws IOException {
    List<String> rss = new ArrayList<>();
    try (Stream<Path> pids = Files.list(cluster.resolve("pids"))) {
      for (Path pidFile : pids.sorted().toList()) {
        Path status = Path.of("/proc", Files.readString(pidFile).trim(), "status");
        if (Files.exists(status)) {
          Files.readAllLines(status).stream()
              .filter(l -> l.startsWith("VmRSS:"))
              .findFirst()
              .ifPresent(
                  l ->
                      rss.add(
                          pidFile.getFileName().toString().replace(".pid", "")
                              + " "
                              + Long.parseLong(l.replaceAll("\\D", "")) / 1024
                              + " MiB"));
        }
      }
    }
    return String.join(", ", rss);
  }

  private static void printLogTails() {
    try (Stream<Path> logs = Files.list(cluster.resolve("log"))) {
      // the processes' logs, not RocksDB's (which Flink also puts there)
      for (Path log :
          logs.filter(p -> p.getFileName().toString().matches("[a-z-0-9]+\\.(log|out)"))
              .sorted()
              .toList()) {
        List<String> lines = Files.readAllLines(log);
        System.err.printf("==> %s (last 40 of %d lines) <==%n", log, lines.size());
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("no cluster logs: " + e);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.printf("LocalClusterITCase: " + format + "%n", args);
  }
}
