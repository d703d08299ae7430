package io.spikestream.job.run;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The log of a {@code java -jar} run: Flink's and the job's log lines go to a file beside the
 * results, so that stderr carries only what the run tells its user. Without this, Log4j's default
 * configuration prints every error with its stack trace to the console (a missing input file
 * printed hundreds of lines over ten restarts).
 *
 * <p>Under {@code flink run} the Flink client has configured Log4j already (its script sets {@code
 * log4j.configurationFile}); the run then leaves logging alone.
 */
final class RunLog {

  /** The Log4j configuration of the run's log file, a resource of the job jar. */
  static final String CONFIGURATION = "spikestream-log4j2.properties";

  /** The Log4j configuration until the log file is known: nothing is logged. */
  static final String QUIET = "spikestream-log4j2-quiet.properties";

  /** The system property the configuration reads the log file's path from. */
  static final String FILE_PROPERTY = "spikestream.log.file";

  private static boolean owned;

  private RunLog() {}

  /**
   * Keeps Log4j silent until {@link #toFile} says where the log goes, unless someone else (the
   * Flink client) configures logging in this process; call before anything logs.
   */
  static synchronized void quietUntilConfigured() {
    if (System.getProperty("log4j.configurationFile") != null
        || System.getProperty("log4j2.configurationFile") != null) {
      return;
    }
    URL quiet = RunLog.class.getClassLoader().getResource(QUIET);
    if (quiet != null) {
      // read at Log4j's first start, so that it never starts with its console default
      System.setProperty("log4j2.configurationFile", quiet.toString());
      owned = true;
    }
  }

  /**
   * Sends the process's log to a file from now on, if this run owns the process's logging.
   *
   * @param file the log file; appended to
   */
  static synchronized void toFile(Path file) {
    URL configuration = RunLog.class.getClassLoader().getResource(CONFIGURATION);
    if (!owned || configuration == null) {
      return;
    }
    System.setProperty(FILE_PROPERTY, file.toString());
    try {
      Configurator.reconfigure(configuration.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the log configuration's URL is not a URI", e);
    }
  }
}
