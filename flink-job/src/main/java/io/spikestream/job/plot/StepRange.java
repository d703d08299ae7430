package io.spikestream.job.plot;

/**
 * An inclusive range of simulation step numbers k, the {@code "step"} field of spike records.
 *
 * @param first the first step drawn, k >= 0
 * @param last the last step drawn, inclusive, >= first
 */
public record StepRange(long first, long last) {

  /** Every step. */
  public static final StepRange ALL = new StepRange(0, Long.MAX_VALUE);

  /**
   * @throws IllegalArgumentException if {@code first < 0} or {@code last < first}
   */
  public StepRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException(
          "step range " + first + ":" + last + " must have 0 <= first <= last");
    }
  }

  /**
   * Parses the {@code --steps} option.
   *
   * @param text {@code A:B}, two step numbers with {@code 0 <= A <= B}, both inclusive
   * @return the range
   * @throws PlotException naming {@code '--steps'} and the text if it is not such a range
   */
  public static StepRange parse(String text) throws PlotException {
    int colon = text.indexOf(':');
    if (colon >= 0) {
      try {
        long first = Long.parseLong(text.substring(0, colon).strip());
        long last = Long.parseLong(text.substring(colon + 1).strip());
        if (first >= 0 && last >= first) {
          return new StepRange(first, last);
        }
      } catch (NumberFormatException e) {
        // reported below, with the text as given
      }
    }
    throw new PlotException(
        "'--steps' of '" + text + "' must be A:B, two step numbers with 0 <= A <= B");
  }

  /**
   * @param step a step number k
   * @return whether {@code first <= step <= last}
   */
  public boolean contains(long step) {
    return step >= first && step <= last;
  }

  /**
   * @return whether this range holds every step (it is {@link #ALL})
   */
  public boolean isAll() {
    return equals(ALL);
  }

  /**
   * @return {@code A:B}, as {@link #parse} reads it
   */
  @Override
  public String toString() {
    return first + ":" + last;
  }
}
