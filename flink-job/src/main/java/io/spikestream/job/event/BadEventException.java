package io.spikestream.job.event;

/** An input line that is not a valid event; the message is the dead-letter reason. */
public class BadEventException extends Exception {

  /**
   * @param reason why the line is rejected, for example {@code unknown group 'x'}
   */
  public BadEventException(String reason) {
    super(reason, null, false, false);
  }
}
