package io.spikestream.job.run;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.RecoverableFsDataOutputStream;
import org.apache.flink.core.fs.RecoverableWriter;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.core.fs.local.LocalRecoverableWriter;

/**
 * A local file system, under the scheme {@code fullfs:}, whose disk fills up: once {@link #BUDGET}
 * bytes have been written through it (all its files together), every write fails as a full disk
 * does on Linux, with {@code No space left on device}. For the tests of what a run says when its
 * disk fills; registered for Flink in {@code META-INF/services}.
 */
public class FullDiskFileSystem extends LocalFileSystem {

  /** Bytes that may still be written; tests set it before a run. */
  public static final AtomicLong BUDGET = new AtomicLong(Long.MAX_VALUE);

  @Override
  public URI getUri() {
    return URI.create("fullfs:///");
  }

  @Override
  public FSDataOutputStream create(Path filePath, WriteMode overwrite) throws IOException {
    FSDataOutputStream out = super.create(filePath, overwrite);
    return new FSDataOutputStream() {
      @Override
      public void write(int b) throws IOException {
        spend(1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        spend(len);
        out.write(b, off, len);
      }

      @Override
      public long getPos() throws IOException {
        return out.getPos();
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void sync() throws IOException {
        out.sync();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  @Override
  public LocalRecoverableWriter createRecoverableWriter() throws IOException {
    return new FullWriter(this);
  }

  static void spend(long bytes) throws IOException {
    if (BUDGET.addAndGet(-bytes) < 0) {
      BUDGET.set(0);
      throw new IOException("No space left on device");
    }
  }

  /** The local writer of recoverable part files, spending the budget. */
  static final class FullWriter extends LocalRecoverableWriter {
    FullWriter(LocalFileSystem fs) {
      super(fs);
    }

    @Override
    public RecoverableFsDataOutputStream open(Path filePath) throws IOException {
      return new Spending(super.open(filePath));
    }

    @Override
    public RecoverableFsDataOutputStream recover(ResumeRecoverable recoverable) throws IOException {
      return new Spending(super.recover(recoverable));
    }
  }

  /** A part file's stream that fails its writes once the disk is full. */
  static final class Spending extends RecoverableFsDataOutputStream {
    private final RecoverableFsDataOutputStream out;

    Spending(RecoverableFsDataOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      spend(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      spend(len);
      out.write(b, off, len);
    }

    @Override
    public RecoverableWriter.ResumeRecoverable persist() throws IOException {
      return out.persist();
    }

    @Override
    public Committer closeForCommit() throws IOException {
      return out.closeForCommit();
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos();
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void sync() throws IOException {
      out.sync();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Makes the file system for {@code fullfs:} URIs. */
  public static final class Factory implements FileSystemFactory {
    @Override
    public String getScheme() {
      return "fullfs";
    }

    @Override
    public FileSystem create(URI fsUri) {
      return new FullDiskFileSystem();
    }
  }
}
