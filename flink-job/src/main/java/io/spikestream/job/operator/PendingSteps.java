package io.spikestream.job.operator;

import java.util.Arrays;

/**
 * One group's pending steps: their inputs by step number, in ascending step order.
 *
 * <p>Why not a {@code TreeMap<Long, StepInput>}: events mostly arrive in step order, so a new step
 * goes last and the step that runs next is first; two arrays with a moving head make both O(1)
 * without boxing or tree nodes. An out-of-order step is inserted in place, costing the steps after
 * it, which out-of-orderness bounds.
 */
final class PendingSteps {

  private long[] steps = new long[4];
  private StepInput[] inputs = new StepInput[4];

  /** Entries are {@code [head, tail)}. */
  private int head;

  private int tail;

  /** Whether no step is pending. */
  boolean isEmpty() {
    return head == tail;
  }

  /** The number of pending steps. */
  int size() {
    return tail - head;
  }

  /** The i-th pending step in ascending order, {@code 0 <= i < size()}. */
  long stepAt(int i) {
    return steps[head + i];
  }

  /** The input of the i-th pending step in ascending order, {@code 0 <= i < size()}. */
  StepInput inputAt(int i) {
    return inputs[head + i];
  }

  /** The first pending step; only when not empty. */
  long firstStep() {
    return steps[head];
  }

  /**
   * The input of a pending step.
   *
   * @return the input, or null if the step is not pending
   */
  StepInput get(long step) {
    // from the newest: an event most often falls in one of the last steps
    for (int i = tail - 1; i >= head && steps[i] >= step; i--) {
      if (steps[i] == step) {
        return inputs[i];
      }
    }
    return null;
  }

  /**
   * Adds a step that is not pending yet.
   *
   * @param step the step number
   * @param input its input
   */
  void add(long step, StepInput input) {
    if (tail == steps.length) {
      makeRoom();
    }
    int at = tail;
    while (at > head && steps[at - 1] > step) {
      at--;
    }
    System.arraycopy(steps, at, steps, at + 1, tail - at);
    System.arraycopy(inputs, at, inputs, at + 1, tail - at);
    steps[at] = step;
    inputs[at] = input;
    tail++;
  }

  /** Removes the first pending step and returns its input; only when not empty. */
  StepInput pollFirst() {
    StepInput input = inputs[head];
    inputs[head] = null;
    head++;
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return input;
  }

  private void makeRoom() {
    int size = size();
    if (size * 2 > steps.length) {
      steps = Arrays.copyOf(steps, steps.length * 2);
      inputs = Arrays.copyOf(inputs, inputs.length * 2);
    }
    System.arraycopy(steps, head, steps, 0, size);
    System.arraycopy(inputs, head, inputs, 0, size);
    Arrays.fill(inputs, size, tail, null);
    head = 0;
    tail = size;
  }
}
