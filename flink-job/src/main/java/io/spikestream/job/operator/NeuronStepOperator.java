package io.spikestream.job.operator;

import io.spikestream.job.event.InputEvent;
import io.spikestream.job.event.SpikeRecord;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs a {@link NeuronStepFunction} and, when its input ends for good (a bounded input read to
 * the end, or {@code stop --drain}), every step still pending, even if the final watermark never
 * came.
 *
 * <p>Why: Flink 2.2 drops the end-of-time watermark of a source that is idle when it is drained
 * (FLINK-40499: the chain outputs discard watermarks while the announced status is idle), and a
 * step runs only when the watermark passes it, so a drained job would silently lose its last
 * steps. A stop without drain (savepoint to resume from) is not an end of input: pending steps
 * stay in the state then.
 */
public class NeuronStepOperator extends KeyedProcessOperator<String, InputEvent, SpikeRecord>
    implements BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private boolean endOfTime;

  /**
   * @param function the keyed neuron step function
   */
  public NeuronStepOperator(NeuronStepFunction function) {
    super(function);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    endOfTime |= mark.getTimestamp() == Long.MAX_VALUE;
    super.processWatermark(mark);
  }

  @Override
  public void endInput() throws Exception {
    if (!endOfTime) {
      processWatermark(Watermark.MAX_WATERMARK);
    }
  }
}
