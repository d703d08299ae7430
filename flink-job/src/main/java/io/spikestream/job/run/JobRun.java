package io.spikestream.job.run;

import io.spikestream.job.SpikestreamJob;
import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobArguments;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.io.camera.AddressEventBatcher;
import io.spikestream.job.plot.PlotCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * A run of the job from the command line, as its user sees it on stderr: the options and the
 * environment checked before anything runs (one line and exit code 2 for what is wrong), where
 * things are at the start, a progress line every {@code --progress-interval-ms}, and at the end a
 * summary, the savepoint or checkpoint to resume from (when the run stopped or failed), and the
 * line {@code spikestream: done: events=N applied=N late=N dead_letters=N steps=N spikes=N}.
 *
 * <p>SIGINT and SIGTERM stop the job as {@code flink stop} does, with a savepoint (pending steps
 * stay in it); a second signal cancels it at once (the newest checkpoint is then the place to
 * resume from). Exit codes: 0 a run that finished or was stopped, 1 a run that failed, 2 bad
 * options or environment.
 */
public final class JobRun {

  /** Every line the run prints starts with this. */
  static final String PREFIX = "spikestream: ";

  /** Up to how long a progress poll waits for the job's accumulators. */
  private static final long POLL_TIMEOUT_MS = 2_000;

  private final JobOptions options;
  private final Map<String, GroupConfig> groups;
  private final PrintStream err;
  private final boolean interactive;

  private JobRun(
      JobOptions options, Map<String, GroupConfig> groups, PrintStream err, boolean interactive) {
    this.options = options;
    this.groups = groups;
    this.err = err;
    this.interactive = interactive;
  }

  /**
   * Runs the job from its command line.
   *
   * @param args the command line
   * @param out where {@code --help} goes
   * @param err where everything else goes
   * @param interactive whether this is the user's own process ({@code java -jar}): then its log
   *     goes to a file and SIGINT/SIGTERM stop the job; false when a test or a host runs it
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
    if (interactive) {
      RunLog.quietUntilConfigured();
    }
    if (args.length > 0 && args[0].equals("plot")) {
      return plot(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    CommandLine cli = JobArguments.commandLine();
    ParseResult parsed;
    JobOptions options;
    try {
      parsed = cli.parseArgs(args);
      if (cli.isUsageHelpRequested()) {
        out.print(JobOptions.usage());
        out.flush();
        return 0;
      }
      options = cli.<JobArguments>getCommand().toOptions(parsed);
    } catch (CommandLine.ParameterException e) {
      return usageError(err, JobArguments.describe(e));
    } catch (IllegalArgumentException e) {
      return usageError(err, e.getMessage());
    }
    Map<String, GroupConfig> groups;
    try {
      groups = GroupsFile.load(options.groups());
      checkInputGroup(options, groups);
    } catch (IllegalArgumentException e) {
      err.println(PREFIX + e.getMessage());
      return 2;
    }
    return new JobRun(options, groups, err, interactive).execute();
  }

  /** An event-camera input's group must be in the groups file and take address events. */
  static void checkInputGroup(JobOptions options, Map<String, GroupConfig> groups) {
    if (options.cameraFormat() == null) {
      return;
    }
    GroupConfig group = groups.get(options.inputGroup());
    if (group == null) {
      throw new IllegalArgumentException(
          "--input-group '"
              + options.inputGroup()
              + "' is not a group of "
              + options.groups()
              + " (its groups: "
              + String.join(", ", groups.keySet())
              + ")");
    }
    String misfit = AddressEventBatcher.misfit(group);
    if (misfit != null) {
      throw new IllegalArgumentException(misfit);
    }
  }

  /**
   * The {@code plot} command (see {@link PlotCommand}): every error, picocli's included, is one
   * line and exit code 2.
   */
  private static int plot(String[] args, PrintStream out, PrintStream err) {
    CommandLine plot = new CommandLine(new PlotCommand());
    plot.setOut(new PrintWriter(out, true));
    plot.setErr(new PrintWriter(err, true));
    plot.setParameterExceptionHandler(
        (e, arguments) -> {
          err.println("plot: " + JobArguments.describe(e));
          return PlotCommand.USER_ERROR;
        });
    int code = plot.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static int usageError(PrintStream err, String message) {
    err.println(PREFIX + message);
    err.println("Run with --help for the options.");
    return 2;
  }

  private int execute() {
    Configuration config = SpikestreamJob.configuration(options);
    // a cluster decides this for its TaskManagers itself (see SpikestreamJob.configuration)
    config.removeConfig(PipelineOptions.ALLOW_UNALIGNED_SOURCE_SPLITS);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    EmbeddedCluster embedded = null;
    if (env instanceof LocalStreamEnvironment) {
      // the paths are this machine's: check them here (on a cluster, the TaskManagers' view of
      // them counts, and Flink reports what is wrong as the job runs)
      try {
        Preflight.check(options);
      } catch (StartupException e) {
        err.println(PREFIX + e.getMessage());
        return 2;
      }
      if (interactive) {
        RunLog.toFile(logFile());
      }
      embedded = new EmbeddedCluster();
      env = embedded.environment(SpikestreamJob.embeddedConfiguration(options));
    }
    if (options.parallelism() > 0) {
      env.setParallelism(options.parallelism());
    }
    JobClient client;
    try {
      SpikestreamJob.fromOptions(options, groups).build(env);
      client = env.executeAsync("Spikestream");
    } catch (Exception e) {
      err.println(PREFIX + "the job could not start: " + Failures.describe(e, options));
      return 1;
    }
    long started = System.nanoTime();
    if (!options.quiet()) {
      printStart(embedded, env.getConfiguration(), client);
    }
    if (embedded == null && !env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
      err.println(PREFIX + "submitted job " + client.getJobID() + " (detached)");
      return 0;
    }
    Stopper stopper = new Stopper(client, savepointDir(), err);
    if (interactive) {
      stopper.onSignals();
    }
    return await(client, stopper, started);
  }

  private void printStart(EmbeddedCluster embedded, ReadableConfig config, JobClient client) {
    URI webUi = embedded != null ? embedded.webUi() : null;
    if (webUi != null) {
      err.println(PREFIX + "Web UI " + webUi);
    } else if (embedded == null) {
      err.println(
          PREFIX
              + "job "
              + client.getJobID()
              + " on the cluster at http://"
              + config.get(RestOptions.ADDRESS)
              + ":"
              + config.get(RestOptions.PORT));
    }
    err.println(
        PREFIX
            + "input "
            + (options.input() != null
                ? options.input() + (options.monitor() ? " (watched for new files)" : "")
                : "Kafka topic " + options.kafka().inputTopic()));
    err.println(
        PREFIX
            + "output "
            + (options.output() != null
                ? options.output() + " (spikes/, late/, dead-letter/)"
                : "Kafka topic " + options.kafka().outputTopic()));
    err.println(PREFIX + "checkpoints " + options.checkpointDir());
    if (interactive) {
      err.println(PREFIX + "log " + logFile());
    }
  }

  /** Waits for the job, printing progress, then prints how it ended. */
  private int await(JobClient client, Stopper stopper, long started) {
    CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
    RunTotals last = RunTotals.NONE;
    long lastAt = started;
    long interval = TimeUnit.MILLISECONDS.toNanos(options.progressIntervalMs());
    while (!result.isDone()) {
      long wait = lastAt + interval - System.nanoTime();
      try {
        result.get(Math.max(1, wait), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        RunTotals now = poll(client).orElse(last);
        long at = System.nanoTime();
        if (!options.quiet()) {
          err.println(PREFIX + now.progress(last, seconds(at - started), seconds(at - lastAt)));
        }
        last = now;
        lastAt = at;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        break; // handled below
      }
    }
    double elapsed = seconds(System.nanoTime() - started);
    JobExecutionResult finished;
    try {
      finished = result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return end("interrupted", last, elapsed, newestCheckpoint(client), true, 1);
    } catch (ExecutionException e) {
      Optional<String> resume = newestCheckpoint(client);
      if (stopper.cancelled()) {
        return end("cancelled after " + fmt(elapsed) + " s", last, elapsed, resume, true, 0);
      }
      err.println(PREFIX + Failures.describe(e.getCause(), options));
      return end("failed after " + fmt(elapsed) + " s", last, elapsed, resume, true, 1);
    }
    RunTotals totals = RunTotals.of(finished.getAllAccumulatorResults());
    Optional<String> savepoint = stopper.savepoint();
    if (savepoint.isPresent()) {
      return end(
          "stopped with a savepoint after " + fmt(elapsed) + " s",
          totals,
          elapsed,
          savepoint.map(Checkpoints::display),
          true,
          0);
    }
    return end("finished", totals, elapsed, Optional.empty(), false, 0);
  }

  /**
   * Prints how the run ended: the summary, the place to resume from if it can be resumed, and the
   * done line.
   */
  private int end(
      String how,
      RunTotals totals,
      double elapsedS,
      Optional<String> resume,
      boolean resumable,
      int exitCode) {
    if (!options.quiet()) {
      err.println(PREFIX + how + ": " + totals.summary(elapsedS));
      if (options.output() != null) {
        String output = options.output().endsWith("/") ? options.output() : options.output() + "/";
        err.println(
            PREFIX
                + "spikes in "
                + output
                + JobIo.SPIKES
                + ", late events in "
                + output
                + JobIo.LATE
                + ", dead letters in "
                + output
                + JobIo.DEAD_LETTER);
      }
    }
    if (resume.isPresent()) {
      err.println(PREFIX + "resume with --from-savepoint " + resume.get());
    } else if (resumable) {
      err.println(PREFIX + "no checkpoint completed: nothing to resume from");
    }
    err.println(PREFIX + totals.doneLine());
    err.flush();
    return exitCode;
  }

  private Optional<String> newestCheckpoint(JobClient client) {
    return Checkpoints.newest(options.checkpointDir(), client.getJobID());
  }

  private static Optional<RunTotals> poll(JobClient client) {
    try {
      return Optional.of(
          RunTotals.of(client.getAccumulators().get(POLL_TIMEOUT_MS, TimeUnit.MILLISECONDS)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return Optional.empty(); // the job is ending, or busy: the next poll will tell
    }
  }

  /** Where a stop's savepoint goes: {@code savepoints/} of the checkpoint directory. */
  private String savepointDir() {
    String dir = options.checkpointDir();
    return dir.endsWith("/") ? dir + "savepoints" : dir + "/savepoints";
  }

  /** The embedded run's log: beside the results, else beside the checkpoints, else temporary. */
  private Path logFile() {
    Path dir =
        options.output() != null
            ? Preflight.local(options.output())
            : Preflight.local(options.checkpointDir());
    if (dir == null) {
      dir = Path.of(System.getProperty("java.io.tmpdir"));
    }
    return dir.resolve("spikestream.log");
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String fmt(double seconds) {
    return String.format(java.util.Locale.ROOT, "%.1f", seconds);
  }
}
