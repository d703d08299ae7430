package io.spikestream.job.io.camera;

import io.spikestream.job.config.GroupConfig;
import io.spikestream.job.event.ParsedLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.MutableRecordAndPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Event-camera files as a Flink file format: each file decoded whole by its format's decoder, its
 * events batched per step for one group ({@link AddressEventBatcher}), read in chunks of {@value
 * #CHUNK_BYTES} bytes.
 *
 * <p>A file is one split (decoders carry state from the first byte: a time base, a row), and a
 * restored reader decodes the file again from its start and skips the records it had emitted before
 * the checkpoint: decoding and batching are deterministic, so it emits the same records.
 */
public final class CameraFiles implements BulkFormat<ParsedLine, FileSourceSplit> {

  private static final long serialVersionUID = 1L;

  /** How many bytes a read takes from the file at a time. */
  static final int CHUNK_BYTES = 1 << 20;

  private final CameraFormat format;
  private final GroupConfig group;
  private final long outOfOrdernessMs;

  /**
   * @param format the files' format
   * @param group the group every event goes to
   * @param outOfOrdernessMs the input's bounded out-of-orderness, in ms
   */
  public CameraFiles(CameraFormat format, GroupConfig group, long outOfOrdernessMs) {
    this.format = format;
    this.group = group;
    this.outOfOrdernessMs = outOfOrdernessMs;
  }

  @Override
  public BulkFormat.Reader<ParsedLine> createReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return new Reader(split.path(), 0);
  }

  @Override
  public BulkFormat.Reader<ParsedLine> restoreReader(Configuration config, FileSourceSplit split)
      throws IOException {
    long skip =
        split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    return new Reader(split.path(), skip);
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<ParsedLine> getProducedType() {
    return TypeInformation.of(ParsedLine.class);
  }

  /** The path of a file as dead letters name it: a local path, else its URI. */
  static String sourceName(Path path) {
    java.net.URI uri = path.toUri();
    return uri.getScheme() == null || uri.getScheme().equals("file")
        ? uri.getPath()
        : uri.toString();
  }

  /** Reads one file, a chunk per batch of records. */
  private final class Reader implements BulkFormat.Reader<ParsedLine> {
    private final FSDataInputStream in;
    private final AddressEventDecoder decoder = format.newDecoder(false);
    private final ArrayDeque<ParsedLine> pending = new ArrayDeque<>();
    private final AddressEventBatcher batcher;
    private final byte[] chunk = new byte[CHUNK_BYTES];

    /** Records handed out so far, the ones skipped on a restore included. */
    private long emitted;

    private boolean ended;

    Reader(Path path, long skip) throws IOException {
      in = path.getFileSystem().open(path);
      batcher = new AddressEventBatcher(group, outOfOrdernessMs, sourceName(path), pending::add);
      while (emitted < skip) {
        if (pending.isEmpty() && !fill()) {
          break;
        }
        while (emitted < skip && !pending.isEmpty()) {
          pending.poll();
          emitted++;
        }
      }
    }

    /** Decodes the next chunk (or the end); false once there is nothing more to decode. */
    private boolean fill() throws IOException {
      if (ended) {
        return false;
      }
      int read = in.read(chunk);
      if (read < 0) {
        ended = true;
        decoder.finish(batcher);
        batcher.flush();
        return true;
      }
      decoder.decode(ByteBuffer.wrap(chunk, 0, read), batcher);
      return true;
    }

    @Override
    public BulkFormat.RecordIterator<ParsedLine> readBatch() throws IOException {
      while (pending.isEmpty()) {
        if (!fill()) {
          return null;
        }
      }
      ParsedLine[] records = pending.toArray(ParsedLine[]::new);
      pending.clear();
      long first = emitted;
      emitted += records.length;
      return new Batch(records, first);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** One chunk's records, each with the position to restore after it. */
  private static final class Batch implements BulkFormat.RecordIterator<ParsedLine> {
    private final ParsedLine[] records;
    private final MutableRecordAndPosition<ParsedLine> next = new MutableRecordAndPosition<>();
    private int i;

    Batch(ParsedLine[] records, long first) {
      this.records = records;
      next.set(null, CheckpointedPosition.NO_OFFSET, first);
    }

    @Override
    public RecordAndPosition<ParsedLine> next() {
      if (i == records.length) {
        return null;
      }
      next.setNext(records[i++]);
      return next;
    }

    @Override
    public void releaseBatch() {}
  }
}
