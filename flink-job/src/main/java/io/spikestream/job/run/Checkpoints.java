package io.spikestream.job.run;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/** Where a run can be resumed from: its newest complete checkpoint. */
final class Checkpoints {

  private Checkpoints() {}

  /**
   * The newest complete checkpoint of a job: the {@code chk-N} directory with the highest N that
   * has its {@code _metadata} (a checkpoint that was being written when the run ended has none).
   *
   * @param checkpointDir the job's checkpoint directory (path or URI), holding one directory per
   *     job id
   * @param job the job
   * @return the checkpoint's directory, as a path for local storage or else a URI
   */
  static Optional<String> newest(String checkpointDir, JobID job) {
    try {
      Path jobDir = new Path(new Path(uri(checkpointDir)), job.toHexString());
      FileSystem fs = jobDir.getFileSystem();
      if (!fs.exists(jobDir)) {
        return Optional.empty();
      }
      Path newest = null;
      long newestId = -1;
      for (FileStatus status : fs.listStatus(jobDir)) {
        String name = status.getPath().getName();
        if (!status.isDir() || !name.matches("chk-\\d+")) {
          continue;
        }
        long id = Long.parseLong(name.substring(4));
        if (id > newestId && fs.exists(new Path(status.getPath(), "_metadata"))) {
          newestId = id;
          newest = status.getPath();
        }
      }
      return Optional.ofNullable(newest).map(Checkpoints::display);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * A checkpoint or savepoint location as a user passes it back: a local path, else its URI.
   *
   * @param path the location
   * @return for example {@code /tmp/out/checkpoints/ab12.../chk-7}
   */
  static String display(Path path) {
    URI uri = path.toUri();
    return uri.getScheme() == null || uri.getScheme().equals("file")
        ? uri.getPath()
        : uri.toString();
  }

  /**
   * A location string as Flink's savepoint API returns it, for display.
   *
   * @param location for example {@code file:/tmp/out/checkpoints/savepoints/savepoint-1a2b-...}
   * @return the local path, or the location unchanged
   */
  static String display(String location) {
    return display(new Path(location));
  }

  private static URI uri(String pathOrUri) {
    java.nio.file.Path local = Preflight.local(pathOrUri);
    return local != null ? local.toUri() : URI.create(pathOrUri);
  }
}
