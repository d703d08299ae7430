package io.spikestream.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what the job committed: every line of the visible part files of an output directory. */
public final class OutputFiles {

  private OutputFiles() {}

  /**
   * @param dir an output subdirectory such as {@code OUTPUT/spikes}
   * @return the lines of its committed part files (hidden in-progress files are skipped), or none
   *     if it does not exist
   */
  public static List<String> lines(Path dir) {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!file.getFileName().toString().startsWith(".")) {
          lines.addAll(Files.readAllLines(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
