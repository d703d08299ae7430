package io.spikestream.job.io.camera;

/**
 * Collects consecutive damaged bytes into one run, so a handler hears of a run of garbage once,
 * with its start, its first reason and its length, instead of once per word. Decoders open a run on
 * the first bad word, extend it over the following bad words, and flush it on the next good word or
 * at the end of the stream.
 */
public final class DamageRun {

  private long start = -1;
  private long end;
  private String reason;

  /** Creates an empty (closed) run. */
  public DamageRun() {}

  /**
   * Whether a run is open (damage seen and not yet reported).
   *
   * @return true while damage is pending
   */
  public boolean isOpen() {
    return start >= 0;
  }

  /**
   * Opens a run, or extends the open one (keeping its first reason) to {@code endPosition}.
   *
   * @param position stream offset, in bytes, of the first damaged byte
   * @param endPosition stream offset just past the last damaged byte; &ge; position
   * @param why what is wrong with the first damaged bytes, naming the values found
   */
  public void add(long position, long endPosition, String why) {
    if (start < 0) {
      start = position;
      reason = why;
    }
    end = Math.max(end, endPosition);
  }

  /**
   * Extends the open run to {@code endPosition}; use instead of {@link #add} when the run is open,
   * so no reason text is built for the following damaged words.
   *
   * @param endPosition stream offset just past the last damaged byte
   */
  public void extendTo(long endPosition) {
    end = Math.max(end, endPosition);
  }

  /**
   * Reports the open run, if any, to {@code out} and closes it.
   *
   * @param out receives one {@link AddressEventHandler#damaged} call
   */
  public void flush(AddressEventHandler out) {
    if (start < 0) {
      return;
    }
    long length = end - start;
    String message = reason + " [" + length + (length == 1 ? " byte]" : " bytes]");
    long at = start;
    start = -1;
    reason = null;
    end = 0;
    out.damaged(at, message);
  }
}
