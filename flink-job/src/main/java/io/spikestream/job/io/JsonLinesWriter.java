package io.spikestream.job.io;

import io.spikestream.job.event.LineBuffer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes one JSON line per element, UTF-8, to a part file of the file sink through a buffer.
 *
 * <p>Why not the row format's {@code SimpleStringEncoder}: it writes every line straight to the
 * part file's stream, and the local file system's stream has no buffer, so each line cost two
 * {@code write} system calls, more than all the job's other work for a short spike record. This
 * writer buffers; the sink flushes it and finishes the part file at every checkpoint (bulk formats
 * roll on checkpoints), so what a checkpoint commits is complete lines, exactly once.
 *
 * @param <T> the elements
 */
final class JsonLinesWriter<T> implements BulkWriter<T> {

  /** Bytes buffered before a write to the part file. */
  static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream out;
  private final LineFormat<T> format;
  private final LineBuffer line = new LineBuffer();

  private JsonLinesWriter(FSDataOutputStream partFile, LineFormat<T> format) {
    this.out = new BufferedOutputStream(partFile, BUFFER_BYTES);
    this.format = format;
  }

  /**
   * How an element becomes its line: formatted into a buffer, as UTF-8, without the line break.
   *
   * @param <T> the elements
   */
  @FunctionalInterface
  interface LineFormat<T> extends Serializable {
    /**
     * @param element the element
     * @param line the buffer to format it into, empty
     */
    void format(T element, LineBuffer line);

    /**
     * The format of elements that make their line as a string.
     *
     * @param <T> the elements
     * @param format an element's JSON line, without the line break
     * @return the format
     */
    static <T> LineFormat<T> of(SerializableFunction<T, String> format) {
      return (element, line) -> line.append(format.apply(element));
    }
  }

  /**
   * Creates one writer per part file.
   *
   * @param <T> the elements
   */
  static final class Factory<T> implements BulkWriter.Factory<T> {
    private static final long serialVersionUID = 3L;
    private final LineFormat<T> format;

    /**
     * @param format an element's JSON line, without the line break
     */
    Factory(LineFormat<T> format) {
      this.format = format;
    }

    @Override
    public BulkWriter<T> create(FSDataOutputStream partFile) {
      return new JsonLinesWriter<>(partFile, format);
    }
  }

  @Override
  public void addElement(T element) throws IOException {
    line.clear();
    format.format(element, line);
    line.append('\n');
    line.writeTo(out);
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
