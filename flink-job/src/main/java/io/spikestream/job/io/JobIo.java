package io.spikestream.job.io;

import java.time.Duration;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The job's file source and sinks. Lines in, JSON lines out; output part files are committed on
 * checkpoints (exactly once), named {@code part-<uuid>-<subtask>-<n>.jsonl}; files being written
 * are hidden ({@code .part-...inprogress...}) until committed.
 */
public final class JobIo {

  /** Output subdirectory of the spike records. */
  public static final String SPIKES = "spikes";

  /** Output subdirectory of the late events. */
  public static final String LATE = "late";

  /** Output subdirectory of the dead letters. */
  public static final String DEAD_LETTER = "dead-letter";

  private JobIo() {}

  /**
   * A source of the UTF-8 lines of a file or of every file in a directory.
   *
   * @param input a file or directory, path or URI
   * @param monitorInterval how often to look for new files; null for a bounded read
   * @return the source
   */
  public static FileSource<String> lines(String input, Duration monitorInterval) {
    FileSource.FileSourceBuilder<String> source =
        FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(input));
    if (monitorInterval != null) {
      source.monitorContinuously(monitorInterval);
    }
    return source.build();
  }

  /**
   * An exactly-once sink of JSON lines into one output subdirectory.
   *
   * @param output the output directory, path or URI
   * @param name the subdirectory, one of {@link #SPIKES}, {@link #LATE}, {@link #DEAD_LETTER}
   * @return the sink
   */
  public static FileSink<String> jsonLines(String output, String name) {
    return FileSink.forRowFormat(new Path(output, name), new SimpleStringEncoder<String>("UTF-8"))
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
        .build();
  }
}
