package io.spikestream.job.bench;

import io.spikestream.job.SpikestreamJob;
import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.config.GroupsFile;
import io.spikestream.job.config.JobOptions;
import io.spikestream.job.event.EventCodec;
import io.spikestream.job.event.ParsedLine;
import io.spikestream.job.event.SpikeRecord;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.operator.RunCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The job's throughput and latency harness (see {@code flink-job/bench/throughput.sh}).
 *
 * <p>Throughput: the Spikestream job and the {@link BaselineJob} run alternately over the same
 * files, each on its own embedded MiniCluster (parallelism 2, checkpoints every second, the chosen
 * state backend), with the job writing its real file outputs. Each run's rate is its input lines
 * over Flink's net runtime of the job (deploy to finish, including the final checkpoint and commit;
 * not JVM or MiniCluster start); the job's spike records and the baseline's count are checked
 * against the input, so a run that lost events fails.
 *
 * <p>Models ({@code --scenario activity}): the job with LIF groups and with ExactNeuron groups (and
 * the baseline, if asked) alternately over the same files of sparse events into groups active in
 * some steps and idle in others ({@link BenchInput#activity}); each run's spikes must be the ones
 * the input's generator counted for the model.
 *
 * <p>Latency: events generated at a steady rate with event time = their wall-clock arrival, the
 * job's spike records timed as its sink receives them; a record's latency is measured from the
 * start of its step, which is the arrival of the step's earliest possible event.
 */
public final class JobBenchmark {

  private static final String USAGE =
      """
      JobBenchmark --work DIR [--scenario dense|sparse|activity|latency|sparse-input] [--runs N]
                   [--state-backend hashmap|rocksdb] [--max-drift-ms N (0)]
                   [--checkpoint-interval-ms N (1000)] [--warm-ups N (1): runs first, not
                    counted; a job's JIT may need more than one to settle] (both: dense, sparse
                    and activity; latency has its own --warmup)
                   [--probe-neurons N (0): dense and sparse also time ExactNeuron.forward of N
                    neurons on a thread of their own while the jobs run (ForwardProbe)]
        dense:    --frames N (200000) --groups N (16) --neurons N (1000)
        sparse:   --events N (4000000) --groups N (1000) --neurons N (1000) --per-step K (1)
        dense and sparse: --jobs both|baseline|spikestream (both: alternately in this JVM; one:
                  only that job, for a JVM of its own, whose JIT profiles no other job shapes)
        activity: --events N (4000000) --groups N (1000) --neurons N (100)
                  --models M,M... (exact,lif; of baseline, exact, lif, alif: run alternately)
        activity-replay: the activity input's steps through each model's neurons without Flink,
                  one thread, timed (NeuronReplay): --models exact,lif[,alif] --rounds N (3)
        sparse-input: --events N (2000000) --per-step K (10) --files N (1), --groups and
                  --neurons as sparse: only writes a sparse input (for runs as processes,
                  flink-job/bench/process.sh) and prints INPUT dir events steps
        latency: --rate N events/s (20000) --seconds N (30) --warmup N s (10)
                 --groups N (1000) --neurons N (1000) --watermark-interval-ms N (200)
      """;

  private JobBenchmark() {}

  /**
   * Runs one scenario and prints its figures.
   *
   * @param args see the usage text ({@code --help})
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    if (args.length == 0 || args[0].equals("--help") || !options.containsKey("--work")) {
      System.out.print(USAGE);
      return;
    }
    Path work = Path.of(options.get("--work"));
    String scenario = options.getOrDefault("--scenario", "dense");
    String backend = options.getOrDefault("--state-backend", "hashmap");
    String maxDrift = options.getOrDefault("--max-drift-ms", "0");
    int runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
    RunSettings settings =
        new RunSettings(
            backend,
            maxDrift,
            options.getOrDefault("--checkpoint-interval-ms", "1000"),
            Integer.parseInt(options.getOrDefault("--warm-ups", "1")),
            runs);
    String jobs = options.getOrDefault("--jobs", "both");
    if (!List.of("both", "baseline", "spikestream").contains(jobs)) {
      throw new IllegalArgumentException(
          "--jobs of '" + jobs + "' must be both, baseline or spikestream");
    }
    int probeNeurons = Integer.parseInt(options.getOrDefault("--probe-neurons", "0"));
    int groups =
        Integer.parseInt(
            options.getOrDefault("--groups", scenario.equals("dense") ? "16" : "1000"));
    int neurons =
        Integer.parseInt(
            options.getOrDefault("--neurons", scenario.startsWith("activity") ? "100" : "1000"));
    switch (scenario) {
      case "dense" -> {
        long frames = Long.parseLong(options.getOrDefault("--frames", "200000"));
        Path dir = work.resolve("dense-" + frames + "x" + groups + "x" + neurons);
        BenchInput input = reused(dir, neurons);
        if (input == null) {
          input = done(BenchInput.dense(dir, frames, groups, neurons));
        }
        // dense steps go through ND4J, whose thread count is the process's (in ND4J 1.0.0-M2.1
        // the OMP_NUM_THREADS environment variable, else the cores per socket)
        System.out.printf(
            Locale.ROOT,
            "== ND4J: OMP_NUM_THREADS=%s, max threads %d, max master threads %d%n",
            System.getenv("OMP_NUM_THREADS"),
            Nd4j.getEnvironment().maxThreads(),
            Nd4j.getEnvironment().maxMasterThreads());
        throughput(
            "dense " + groups + " groups x " + neurons + " neurons",
            input,
            settings,
            probeNeurons,
            jobs);
      }
      case "sparse" -> {
        long events = Long.parseLong(options.getOrDefault("--events", "4000000"));
        double perStep = Double.parseDouble(options.getOrDefault("--per-step", "1"));
        Path dir = work.resolve("sparse-" + events + "x" + groups + "x" + neurons + "x" + perStep);
        BenchInput input = reused(dir, neurons);
        if (input == null) {
          input = done(BenchInput.sparse(dir, events, groups, neurons, perStep));
        }
        throughput(
            "sparse "
                + groups
                + " groups x "
                + neurons
                + " neurons, "
                + perStep
                + " events per group-step",
            input,
            settings,
            probeNeurons,
            jobs);
      }
      case "sparse-input" -> {
        long events = Long.parseLong(options.getOrDefault("--events", "2000000"));
        double perStep = Double.parseDouble(options.getOrDefault("--per-step", "10"));
        int files = Integer.parseInt(options.getOrDefault("--files", "1"));
        Path dir =
            work.resolve(
                "sparse-" + events + "x" + groups + "x" + neurons + "x" + perStep + "-" + files
                    + "-files");
        BenchInput input = reused(dir, neurons);
        if (input == null) {
          input = done(BenchInput.sparse(dir, events, groups, neurons, perStep, files));
        }
        System.out.println("INPUT " + dir + " " + input.events() + " " + input.steps());
      }
      case "activity", "activity-replay" -> {
        long events = Long.parseLong(options.getOrDefault("--events", "4000000"));
        Path dir = work.resolve("activity-" + events + "x" + groups + "x" + neurons);
        BenchInput input = reused(dir, neurons);
        if (input == null) {
          input = done(BenchInput.activity(dir, events, groups, neurons));
        }
        if (scenario.equals("activity-replay")) {
          NeuronReplay.run(
              input,
              List.of(options.getOrDefault("--models", "exact,lif").split(",")),
              Integer.parseInt(options.getOrDefault("--rounds", "3")));
          return;
        }
        models(input, List.of(options.getOrDefault("--models", "exact,lif").split(",")), settings);
      }
      case "latency" ->
          latency(
              work,
              groups,
              neurons,
              backend,
              Integer.parseInt(options.getOrDefault("--rate", "20000")),
              Integer.parseInt(options.getOrDefault("--seconds", "30")),
              Integer.parseInt(options.getOrDefault("--warmup", "10")),
              options.getOrDefault("--watermark-interval-ms", "200"));
      default -> throw new IllegalArgumentException("--scenario '" + scenario + "' is unknown");
    }
  }

  /**
   * How the throughput scenarios run each job.
   *
   * @param backend the state backend
   * @param maxDrift the job's {@code --max-drift-ms}
   * @param checkpointIntervalMs the jobs' checkpoint interval, in ms
   * @param warmUps the runs first, not counted
   * @param runs the runs counted
   */
  private record RunSettings(
      String backend, String maxDrift, String checkpointIntervalMs, int warmUps, int runs) {
    RunSettings {
      if (warmUps < 0) {
        throw new IllegalArgumentException("--warm-ups of " + warmUps + " must be nonnegative");
      }
      if (runs < 1) {
        throw new IllegalArgumentException("--runs of " + runs + " must be at least 1");
      }
    }
  }

  private static BenchInput done(BenchInput input) throws IOException {
    Files.writeString(input.dir().resolve("done"), input.events() + " " + input.steps());
    return input;
  }

  /** The input a previous run generated in {@code dir}, or null. */
  private static BenchInput reused(Path dir, int neurons) throws IOException {
    Path done = dir.resolve("done");
    if (!Files.exists(done)) {
      return null;
    }
    String[] counts = Files.readString(done).trim().split(" ");
    return new BenchInput(dir, Long.parseLong(counts[0]), Long.parseLong(counts[1]), neurons);
  }

  private static void throughput(
      String what, BenchInput input, RunSettings settings, int probeNeurons, String jobs)
      throws Exception {
    boolean runBaseline = !jobs.equals("spikestream");
    boolean runJob = !jobs.equals("baseline");
    Map<String, GroupConfig> groups = GroupsFile.load(input.groups());
    ForwardProbe probe = null;
    if (probeNeurons > 0) {
      probe = new ForwardProbe(probeNeurons);
      Thread.sleep(3000);
      probe.reset();
      Thread.sleep(3000);
      System.out.printf(
          Locale.ROOT,
          "== probe: ExactNeuron.forward of %d neurons (DOUBLE) every 2 ms, nothing else running:"
              + " %s%n",
          probeNeurons,
          probe.summary());
    }
    System.out.printf(
        Locale.ROOT,
        "== %s: %d events, %d steps, backend %s, max drift %s ms, checkpoints every %s ms, %d"
            + " warm-ups and %d runs each%n",
        what,
        input.events(),
        input.steps(),
        settings.backend(),
        settings.maxDrift(),
        settings.checkpointIntervalMs(),
        settings.warmUps(),
        settings.runs());
    List<Double> baseline = new ArrayList<>();
    List<Double> job = new ArrayList<>();
    // runs numbered 0 and below warm up the JIT for both jobs and are not counted
    for (int i = 0; i < settings.warmUps() + settings.runs(); i++) {
      int run = i + 1 - settings.warmUps();
      JobOptions options = options(input, settings, input.dir().resolve("out-" + i));
      deleteRecursively(Path.of(options.output())); // what a failed earlier run left
      if (runBaseline) {
        StreamExecutionEnvironment env = environment(options);
        BaselineJob.build(env, groups, input.eventFiles().toString());
        if (probe != null) {
          probe.reset();
        }
        JobExecutionResult result = env.execute("baseline");
        long counted = result.<Long>getAccumulatorResult(BaselineJob.COUNTED);
        check(counted == input.events(), "baseline counted " + counted + " of " + input.events());
        double baselineRate = report("baseline", run, input, result, 0);
        if (probe != null) {
          System.out.println("probe while the baseline ran: " + probe.summary());
        }
        if (run > 0) {
          baseline.add(baselineRate);
        }
      }
      if (runJob) {
        StreamExecutionEnvironment env = environment(options);
        buildJob(groups, options, env);
        if (probe != null) {
          probe.reset();
        }
        JobExecutionResult result = env.execute("spikestream");
        String probed = probe == null ? null : probe.summary();
        long records = countLines(Path.of(options.output(), JobIo.SPIKES));
        check(records == input.steps(), "job wrote " + records + " of " + input.steps() + " steps");
        check(countLines(Path.of(options.output(), JobIo.LATE)) == 0, "job had late events");
        check(
            countLines(Path.of(options.output(), JobIo.DEAD_LETTER)) == 0, "job had dead letters");
        double jobRate = report("spikestream", run, input, result, input.neuronSteps());
        if (probed != null) {
          System.out.println("probe while the job ran: " + probed);
        }
        if (run > 0) {
          job.add(jobRate);
        }
      }
      deleteRecursively(Path.of(options.output()));
    }
    if (probe != null) {
      probe.close();
    }
    if (!runBaseline || !runJob) {
      boolean only = runJob;
      double rate = median(only ? job : baseline);
      System.out.printf(
          Locale.ROOT,
          "RESULT %s | backend %s | %s alone %.0f events/s%n",
          what,
          settings.backend(),
          only ? "spikestream" : "baseline",
          rate);
      return;
    }
    double b = median(baseline);
    double j = median(job);
    System.out.printf(
        Locale.ROOT,
        "RESULT %s | backend %s | baseline %.0f events/s | spikestream %.0f events/s,"
            + " %.3g neuron-steps/s | ratio %.0f%%%n",
        what,
        settings.backend(),
        b,
        j,
        j * input.neuronSteps() / input.events(),
        100 * j / b);
  }

  /**
   * The activity scenario: the job with each model's groups (and the baseline, if asked) run
   * alternately over the same files; besides the spike records per step, each run's spikes must be
   * the ones the input's generator counted for the model.
   */
  private static void models(BenchInput input, List<String> models, RunSettings settings)
      throws Exception {
    String backend = settings.backend();
    System.out.printf(
        Locale.ROOT,
        "== activity: %s; backend %s, max drift %s ms, checkpoints every %s ms, models %s"
            + " alternately, %d warm-ups and %d runs each%n",
        input.expected("shape"),
        backend,
        settings.maxDrift(),
        settings.checkpointIntervalMs(),
        String.join(", ", models),
        settings.warmUps(),
        settings.runs());
    for (String model : models) {
      if (!model.equals("baseline")) {
        System.out.printf(
            Locale.ROOT, "== %s: %s spikes expected%n", model, input.expected("spikes." + model));
      }
    }
    Map<String, List<Double>> rates = new HashMap<>();
    for (int i = 0; i < settings.warmUps() + settings.runs(); i++) {
      int run = i + 1 - settings.warmUps();
      for (String model : models) {
        JobOptions options =
            options(
                input.groups(model.equals("baseline") ? "exact" : model),
                input,
                settings,
                input.dir().resolve("out-" + i));
        double rate;
        if (model.equals("baseline")) {
          rate = baseline(input, options, run);
        } else {
          long spikes = Long.parseLong(input.expected("spikes." + model));
          rate = job(input, options, model, run, spikes);
        }
        if (run > 0) {
          rates.computeIfAbsent(model, m -> new ArrayList<>()).add(rate);
        }
      }
    }
    StringBuilder result = new StringBuilder("RESULT activity | backend " + backend);
    for (String model : models) {
      result.append(
          String.format(Locale.ROOT, " | %s %.0f events/s", model, median(rates.get(model))));
    }
    for (String model : List.of("lif", "alif")) {
      if (rates.containsKey(model) && rates.containsKey("exact")) {
        result.append(
            String.format(
                Locale.ROOT,
                " | %s/exact %.0f%%",
                model,
                100 * median(rates.get(model)) / median(rates.get("exact"))));
      }
    }
    System.out.println(result);
  }

  /** One baseline run over the input, checked; its rate in events/s. */
  private static double baseline(BenchInput input, JobOptions options, int run) throws Exception {
    deleteRecursively(Path.of(options.output()));
    StreamExecutionEnvironment env = environment(options);
    BaselineJob.build(env, GroupsFile.load(options.groups()), options.input());
    JobExecutionResult result = env.execute("baseline");
    long counted = result.<Long>getAccumulatorResult(BaselineJob.COUNTED);
    check(counted == input.events(), "baseline counted " + counted + " of " + input.events());
    deleteRecursively(Path.of(options.output()));
    return report("baseline", run, input, result, 0);
  }

  /** The job as users run it, over file input, with its real sinks. */
  private static void buildJob(
      Map<String, GroupConfig> groups, JobOptions options, StreamExecutionEnvironment env) {
    new SpikestreamJob(
            groups,
            options,
            JobIo.files(options.input(), groups, null),
            JobIo.spikeLines(options.output()),
            JobIo.jsonLines(options.output(), JobIo.LATE),
            JobIo.jsonLines(options.output(), JobIo.DEAD_LETTER))
        .build(env);
  }

  /**
   * One run of the job over the input with the options' groups, checked: a spike record per step
   * that received events, no late events or dead letters, and the expected spikes (if known, >= 0);
   * its rate in events/s.
   */
  private static double job(
      BenchInput input, JobOptions options, String name, int run, long expectedSpikes)
      throws Exception {
    deleteRecursively(Path.of(options.output())); // what a failed earlier run left
    Map<String, GroupConfig> groups = GroupsFile.load(options.groups());
    StreamExecutionEnvironment env = environment(options);
    buildJob(groups, options, env);
    JobExecutionResult result = env.execute("spikestream");
    long records = countLines(Path.of(options.output(), JobIo.SPIKES));
    long expectedRecords =
        name.equals("alif") ? Long.parseLong(input.expected("records.alif")) : input.steps();
    check(
        records == expectedRecords,
        name + " wrote " + records + " spike records, not " + expectedRecords);
    check(countLines(Path.of(options.output(), JobIo.LATE)) == 0, name + " had late events");
    check(
        countLines(Path.of(options.output(), JobIo.DEAD_LETTER)) == 0, name + " had dead letters");
    if (expectedSpikes >= 0) {
      long spikes = result.<Long>getAccumulatorResult(RunCounters.SPIKES);
      check(
          spikes == expectedSpikes,
          name + " spiked " + spikes + " times, its neurons " + expectedSpikes);
    }
    double rate = report(name, run, input, result, input.neuronSteps());
    deleteRecursively(Path.of(options.output()));
    return rate;
  }

  private static JobOptions options(BenchInput input, RunSettings settings, Path output) {
    return options(input.groups(), input, settings, output);
  }

  private static JobOptions options(
      Path groups, BenchInput input, RunSettings settings, Path output) {
    return JobOptions.parse(
        "--groups",
        groups.toString(),
        "--input",
        input.eventFiles().toString(),
        "--output",
        output.toString(),
        "--parallelism",
        "2",
        "--checkpoint-interval-ms",
        settings.checkpointIntervalMs(),
        "--state-backend",
        settings.backend(),
        "--max-drift-ms",
        settings.maxDrift());
  }

  private static StreamExecutionEnvironment environment(JobOptions options) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(SpikestreamJob.configuration(options));
    env.setParallelism(options.parallelism());
    return env;
  }

  private static double report(
      String name, int run, BenchInput input, JobExecutionResult result, long neuronSteps) {
    double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    double rate = input.events() / seconds;
    System.out.printf(
        Locale.ROOT,
        "%s %-11s %7.2f s  %,12.0f events/s%s%n",
        run <= 0 ? "warm-up" : "run " + run,
        name,
        seconds,
        rate,
        neuronSteps > 0
            ? String.format(Locale.ROOT, "  %.3g neuron-steps/s", neuronSteps / seconds)
            : "");
    return rate;
  }

  // ---- latency ----

  private static void latency(
      Path work,
      int groups,
      int neurons,
      String backend,
      int rate,
      int seconds,
      int warmup,
      String watermarkIntervalMs)
      throws Exception {
    Path dir = work.resolve("latency");
    Files.createDirectories(dir);
    StringBuilder yaml = new StringBuilder("groups:\n");
    for (int g = 0; g < groups; g++) {
      yaml.append("  - {id: ")
          .append(BenchInput.name("g", g))
          .append(", model: exact, shape: [")
          .append(neurons)
          .append("], step_time: 1.0, rest_v: -65.0, thresh_v: -50.0}\n");
    }
    Files.writeString(dir.resolve("groups.yaml"), yaml);
    Map<String, GroupConfig> groupMap = GroupsFile.load(dir.resolve("groups.yaml"));
    JobOptions options =
        JobOptions.parse(
            "--groups",
            dir.resolve("groups.yaml").toString(),
            "--input",
            "unused",
            "--output",
            dir.resolve("out").toString(),
            "--parallelism",
            "2",
            "--checkpoint-interval-ms",
            "1000",
            "--state-backend",
            backend,
            "--watermark-interval-ms",
            watermarkIntervalMs);

    long origin = System.nanoTime();
    LatencySink.reset();
    StreamExecutionEnvironment env = environment(options);
    DataGeneratorSource<ParsedLine> source =
        new DataGeneratorSource<>(
            new ArrivingEvents(groupMap, origin),
            (long) rate * seconds,
            RateLimiterStrategy.perSecond(rate),
            TypeInformation.of(ParsedLine.class));
    new SpikestreamJob(
            groupMap,
            options,
            source,
            new LatencySink(origin, warmup * 1000.0),
            new DiscardingSink<>(),
            new DiscardingSink<>())
        .build(env);
    env.execute("latency");

    double[] ms = LatencySink.latencies();
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "RESULT latency | %d events/s over %d groups x %d neurons | backend %s | watermark"
            + " interval %s ms | %d spike records after %d s warm-up | p50 %.1f ms | p99 %.1f ms"
            + " | max %.1f ms%n",
        rate,
        groups,
        neurons,
        backend,
        watermarkIntervalMs,
        ms.length,
        warmup,
        percentile(ms, 0.50),
        percentile(ms, 0.99),
        ms.length == 0 ? Double.NaN : ms[ms.length - 1]);
  }

  /** Sparse single-neuron events whose event time is their wall-clock arrival. */
  private static final class ArrivingEvents implements GeneratorFunction<Long, ParsedLine> {
    private final Map<String, GroupConfig> groups;
    private final long origin;
    private transient EventCodec codec;
    private transient SplittableRandom random;
    private transient String[] ids;

    ArrivingEvents(Map<String, GroupConfig> groups, long origin) {
      this.groups = groups;
      this.origin = origin;
    }

    @Override
    public void open(SourceReaderContext context) {
      codec = new EventCodec(groups);
      random = new SplittableRandom(context.getIndexOfSubtask());
      ids = groups.keySet().toArray(String[]::new);
    }

    @Override
    public ParsedLine map(Long index) {
      double t = (System.nanoTime() - origin) / 1e6;
      String id = ids[random.nextInt(ids.length)];
      String line =
          "{\"group\":\""
              + id
              + "\",\"t\":"
              + t
              + ",\"index\":["
              + random.nextInt(groups.get(id).neurons())
              + "],\"current\":[1.0]}";
      return ParsedLine.parse(codec, line);
    }
  }

  /** Records each spike record's latency from its step's start, after a warm-up. */
  private static final class LatencySink implements Sink<SpikeRecord> {
    private static final List<Double> LATENCIES = new ArrayList<>();
    private final long origin;
    private final double warmupMs;

    LatencySink(long origin, double warmupMs) {
      this.origin = origin;
      this.warmupMs = warmupMs;
    }

    static synchronized void reset() {
      LATENCIES.clear();
    }

    static double[] latencies() {
      synchronized (LatencySink.class) {
        return LATENCIES.stream().mapToDouble(Double::doubleValue).toArray();
      }
    }

    @Override
    public SinkWriter<SpikeRecord> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(SpikeRecord record, Context context) {
          double now = (System.nanoTime() - origin) / 1e6;
          if (record.t >= warmupMs) {
            synchronized (LatencySink.class) {
              LATENCIES.add(now - record.t);
            }
          }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  // ---- helpers ----

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  private static double percentile(double[] sorted, double p) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException("benchmark run is wrong: " + message);
    }
  }

  private static long countLines(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long lines = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file :
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .toList()) {
        try (Stream<String> content = Files.lines(file)) {
          lines += content.count();
        }
      }
    }
    return lines;
  }

  /** Deletes a run's output; Flink may still be removing subsumed checkpoints, so retries. */
  private static void deleteRecursively(Path dir) throws InterruptedException {
    if (!Files.exists(dir)) {
      return;
    }
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
        return;
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 5) {
          throw new IllegalStateException("cannot delete " + dir, e);
        }
        Thread.sleep(500);
      }
    }
  }
}
