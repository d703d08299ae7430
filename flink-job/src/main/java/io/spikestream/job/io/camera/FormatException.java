package io.spikestream.job.io.camera;

/**
 * The first bytes of a file show that it is not a file of the declared format at all. The message
 * is one line naming the source and what is wrong, e.g. {@code "recording.raw: not an EVT 3.0 file:
 * its header says evt 2.0"}.
 */
public final class FormatException extends Exception {

  /**
   * Creates the exception.
   *
   * @param message one line naming the source and what is wrong
   */
  public FormatException(String message) {
    super(message);
  }
}
