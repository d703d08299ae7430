package io.spikestream.job.io;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source whose readers declare themselves idle when they finish a split and wait for the next, so
 * that a reader waiting for its next file does not hold the job's watermark back. For watched
 * directories ({@code --monitor}), where that wait can last for ever.
 *
 * <p>Why: Flink 2.2 takes a reader's watermark over the splits it reads; when its last split
 * finishes, the split's watermark output goes away and the reader keeps its last watermark, not
 * idle, for as long as it waits. With {@code --monitor} at parallelism 2, a reader that finished
 * the first file then held the operator's watermark at that file's end, and the steps of every
 * later file, read by the other reader, never ran. So this wrapper marks a split's output idle just
 * before the reader releases it: the reader as a whole is then idle while none of its splits is
 * active, and active again once a new split's watermark passes the reader's last one. A file whose
 * events lie behind the watermark that the other readers moved meanwhile is late, as documented.
 *
 * <p>Not for bounded reads: there a reader between two files of a directory keeps holding the
 * watermark at the end of the first (as Flink does), so that the second's events, read next, are
 * not overtaken by another reader's; and a reader that has not got its first file yet is left alone
 * (it goes idle after {@code --idleness-ms} like any input): declared idle at once, it let the
 * other reader's end of input (watermark at the end of time) overtake the file it was about to be
 * given, whose steps then never ran.
 *
 * @param <T> the records
 * @param <SplitT> the splits
 * @param <EnumChkT> the enumerator's checkpoints
 */
@SuppressWarnings("try") // a SourceReader closes with Exception, as Flink declares it
public final class IdleWhenWaiting<T, SplitT extends SourceSplit, EnumChkT>
    implements Source<T, SplitT, EnumChkT>, ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  private final Source<T, SplitT, EnumChkT> source;
  private final TypeInformation<T> producedType;

  /**
   * @param source the source to wrap
   * @param producedType its records' type
   */
  public IdleWhenWaiting(Source<T, SplitT, EnumChkT> source, TypeInformation<T> producedType) {
    this.source = source;
    this.producedType = producedType;
  }

  @Override
  public Boundedness getBoundedness() {
    return source.getBoundedness();
  }

  @Override
  public SplitEnumerator<SplitT, EnumChkT> createEnumerator(
      SplitEnumeratorContext<SplitT> enumContext) throws Exception {
    return source.createEnumerator(enumContext);
  }

  @Override
  public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(
      SplitEnumeratorContext<SplitT> enumContext, EnumChkT checkpoint) throws Exception {
    return source.restoreEnumerator(enumContext, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
    return source.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<EnumChkT> getEnumeratorCheckpointSerializer() {
    return source.getEnumeratorCheckpointSerializer();
  }

  @Override
  public SourceReader<T, SplitT> createReader(SourceReaderContext readerContext) throws Exception {
    return new Reader<>(source.createReader(readerContext));
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return producedType;
  }

  /** The wrapped reader. */
  private static final class Reader<T, SplitT extends SourceSplit>
      implements SourceReader<T, SplitT> {
    private final SourceReader<T, SplitT> reader;

    private ReaderOutput<T> lastOutput;
    private ReaderOutput<T> wrappedOutput;

    Reader(SourceReader<T, SplitT> reader) {
      this.reader = reader;
    }

    @Override
    public void start() {
      reader.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      if (output != lastOutput) {
        lastOutput = output;
        wrappedOutput = new Output(output);
      }
      return reader.pollNext(wrappedOutput);
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
      return reader.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return reader.isAvailable();
    }

    @Override
    public void addSplits(List<SplitT> newSplits) {
      reader.addSplits(newSplits);
    }

    @Override
    public void notifyNoMoreSplits() {
      reader.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
      reader.handleSourceEvents(sourceEvent);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      reader.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      reader.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void pauseOrResumeSplits(
        java.util.Collection<String> splitsToPause, java.util.Collection<String> splitsToResume) {
      reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void close() throws Exception {
      reader.close();
    }

    /** The reader's output, marking a finished split idle before it is released. */
    private final class Output implements ReaderOutput<T> {
      private final ReaderOutput<T> output;

      Output(ReaderOutput<T> output) {
        this.output = output;
      }

      @Override
      public void collect(T record) {
        output.collect(record);
      }

      @Override
      public void collect(T record, long timestamp) {
        output.collect(record, timestamp);
      }

      @Override
      public void emitWatermark(Watermark watermark) {
        output.emitWatermark(watermark);
      }

      @Override
      public void markIdle() {
        output.markIdle();
      }

      @Override
      public void markActive() {
        output.markActive();
      }

      @Override
      public SourceOutput<T> createOutputForSplit(String splitId) {
        return output.createOutputForSplit(splitId);
      }

      @Override
      public void releaseOutputForSplit(String splitId) {
        // the split's output is still registered: idle, it no longer holds the reader back
        output.createOutputForSplit(splitId).markIdle();
        output.releaseOutputForSplit(splitId);
      }
    }
  }
}
