package io.spikestream.job.run;

/**
 * A fault of the run's environment found before anything runs (a missing input, an output that
 * already holds results, a directory that cannot be written, a port in use): its message is the one
 * line the user sees, naming the thing and what to do.
 */
public final class StartupException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message one line, naming the path, option or port
   */
  public StartupException(String message) {
    super(message);
  }
}
