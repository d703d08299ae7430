package io.spikestream.job.run;

import io.spikestream.job.config.JobOptions;
import io.spikestream.job.io.JobIo;
import io.spikestream.job.io.camera.CameraFormat;
import io.spikestream.job.io.camera.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checks a run makes before anything runs, each failing with one line that names the thing: the
 * input exists and can be read; the output holds no results yet (unless {@code --overwrite} empties
 * them or {@code --from-savepoint} continues them); the output's result directories and the
 * checkpoint directory can be created and written; the savepoint to resume from exists; the metrics
 * port is free.
 *
 * <p>Local paths (no scheme, or {@code file:}) are checked; other file systems (for example {@code
 * s3://}) are left to Flink, which reports their faults as the job runs.
 */
public final class Preflight {

  /** The output subdirectories a run writes, and that must hold no results before it. */
  static final List<String> RESULTS = List.of(JobIo.SPIKES, JobIo.LATE, JobIo.DEAD_LETTER);

  private Preflight() {}

  /**
   * Checks the environment and prepares the output: empties the result directories with {@code
   * --overwrite} and creates all three, so they exist after any run.
   *
   * @param options the run's options
   * @throws StartupException naming the first thing that is wrong
   */
  public static void check(JobOptions options) throws StartupException {
    if (options.input() != null) {
      checkInput(options.input());
      if (options.cameraFormat() != null) {
        checkHeaders(options.input(), options.cameraFormat());
      }
    }
    if (options.fromSavepoint() != null) {
      checkSavepoint(options.fromSavepoint());
    }
    if (options.output() != null) {
      prepareOutput(options);
    }
    Path checkpoints = local(options.checkpointDir());
    if (checkpoints != null) {
      writable("checkpoint directory", checkpoints);
    }
    if (options.metricsPort() > 0) {
      checkPort(options.metricsPort());
    }
  }

  private static void checkInput(String input) throws StartupException {
    Path path = local(input);
    if (path == null) {
      return;
    }
    if (!Files.exists(path)) {
      throw new StartupException("--input " + input + " does not exist");
    }
    if (!Files.isReadable(path)) {
      throw new StartupException("--input " + input + " cannot be read (permission denied)");
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        files.findAny();
      } catch (IOException e) {
        throw new StartupException("--input " + input + " cannot be listed: " + reason(e));
      }
    }
  }

  /**
   * Checks that the input's files are of the declared event-camera format: the file, or each file a
   * directory holds now (hidden files skipped, as Flink's file source skips them).
   */
  private static void checkHeaders(String input, CameraFormat format) throws StartupException {
    Path path = local(input);
    if (path == null) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
      files =
          listed
              .filter(Files::isRegularFile)
              .filter(file -> !file.getFileName().toString().startsWith("."))
              .filter(file -> !file.getFileName().toString().startsWith("_"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new StartupException("--input " + input + " cannot be listed: " + reason(e));
    }
    byte[] head = new byte[CameraFormat.HEADER_CHECK_BYTES];
    for (Path file : files) {
      int length;
      try (InputStream in = Files.newInputStream(file)) {
        length = in.readNBytes(head, 0, head.length);
      } catch (IOException e) {
        throw new StartupException("cannot read " + file + ": " + reason(e));
      }
      try {
        format.checkHeader(head, length, file.toString());
      } catch (FormatException e) {
        throw new StartupException(
            e.getMessage() + " (--input-format " + format.formatName() + ")");
      }
    }
  }

  private static void checkSavepoint(String savepoint) throws StartupException {
    Path path = local(savepoint);
    if (path == null) {
      return;
    }
    if (!Files.exists(path)) {
      throw new StartupException("--from-savepoint " + savepoint + " does not exist");
    }
    Path metadata = Files.isDirectory(path) ? path.resolve("_metadata") : path;
    if (!Files.isRegularFile(metadata) || !metadata.getFileName().toString().equals("_metadata")) {
      throw new StartupException(
          "--from-savepoint "
              + savepoint
              + " is not a savepoint or a complete checkpoint (it has no _metadata)");
    }
  }

  private static void prepareOutput(JobOptions options) throws StartupException {
    Path output = local(options.output());
    if (output == null) {
      return;
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new StartupException("--output " + options.output() + " is a file, not a directory");
    }
    for (String name : RESULTS) {
      Path dir = output.resolve(name);
      long files = countFiles(dir);
      if (files == 0) {
        continue;
      }
      if (options.overwrite()) {
        empty(dir);
      } else if (options.fromSavepoint() == null) {
        throw new StartupException(
            "--output "
                + options.output()
                + " already holds results ("
                + files
                + (files == 1 ? " file" : " files")
                + " in "
                + name
                + "/): give a new --output, --overwrite to replace them, or --from-savepoint to"
                + " continue that run");
      }
    }
    for (String name : RESULTS) {
      writable("output directory", output.resolve(name));
    }
  }

  /** The files under a directory, hidden and in-progress part files included; 0 if none. */
  private static long countFiles(Path dir) throws StartupException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(path -> !Files.isDirectory(path)).count();
    } catch (IOException e) {
      throw new StartupException("cannot read " + dir + ": " + reason(e));
    }
  }

  private static void empty(Path dir) throws StartupException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path path : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        if (!path.equals(dir)) {
          Files.delete(path);
        }
      }
    } catch (IOException e) {
      throw new StartupException("cannot empty " + dir + " for --overwrite: " + reason(e));
    }
  }

  /** Creates a directory if needed and checks that a file can be written into it. */
  private static void writable(String what, Path dir) throws StartupException {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".spikestream-", ".probe");
      Files.delete(probe);
    } catch (IOException e) {
      throw new StartupException("cannot write the " + what + " " + dir + ": " + reason(e));
    }
  }

  private static void checkPort(int port) throws StartupException {
    // Flink's Prometheus reporter listens on every interface, so that is what must be free
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw new StartupException("--metrics-port " + port + " is in use: " + e.getMessage());
    }
  }

  /**
   * A local path for a path or URI, or null for another file system.
   *
   * @param pathOrUri a path, or a URI such as {@code file:///data} or {@code s3://bucket/x}
   * @return the local path, absolute
   */
  static Path local(String pathOrUri) {
    URI uri;
    try {
      uri = URI.create(pathOrUri.replace(" ", "%20"));
    } catch (IllegalArgumentException e) {
      return Path.of(pathOrUri).toAbsolutePath();
    }
    if (uri.getScheme() == null || uri.getScheme().length() == 1) {
      return Path.of(pathOrUri).toAbsolutePath();
    }
    return uri.getScheme().equals("file") ? Path.of(uri) : null;
  }

  /** What went wrong with a file, in words: the system's reason, not the exception's class. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage();
  }
}
