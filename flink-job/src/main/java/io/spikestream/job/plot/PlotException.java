package io.spikestream.job.plot;

/**
 * A plot that cannot be made because of what the user asked for or pointed at: a missing run
 * directory, an unknown group, a bad step range, an unwritable file, a malformed spike record. The
 * message is one line that names the thing and its bad value, in the terms of the {@code plot}
 * command's options, for example {@code '--group' 'lgn' is not a group of the run (its groups:
 * retina, v1)}.
 */
public class PlotException extends Exception {

  /**
   * @param message one line naming the thing and what is wrong with it
   */
  public PlotException(String message) {
    // no stack trace: the message is all a user needs, and the command prints only that
    super(message, null, false, false);
  }
}
