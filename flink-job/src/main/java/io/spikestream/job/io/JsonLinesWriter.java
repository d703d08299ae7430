package io.spikestream.job.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Writes lines of text, UTF-8, one per element, to a part file of the file sink through a buffer.
 *
 * <p>Why not the row format's {@code SimpleStringEncoder}: it writes every line straight to the
 * part file's stream, and the local file system's stream has no buffer, so each line cost two
 * {@code write} system calls, more than all the job's other work for a short spike record. This
 * writer buffers; the sink flushes it and finishes the part file at every checkpoint (bulk
 * formats roll on checkpoints), so what a checkpoint commits is complete lines, exactly once.
 */
final class JsonLinesWriter implements BulkWriter<String> {

  /** Bytes buffered before a write to the part file. */
  static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream out;

  private JsonLinesWriter(FSDataOutputStream partFile) {
    this.out = new BufferedOutputStream(partFile, BUFFER_BYTES);
  }

  /** Creates one writer per part file. */
  static final class Factory implements BulkWriter.Factory<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public BulkWriter<String> create(FSDataOutputStream partFile) {
      return new JsonLinesWriter(partFile);
    }
  }

  @Override
  public void addElement(String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void finish() throws IOException {
    // the sink closes the part file itself when it commits it
    out.flush();
  }
}
