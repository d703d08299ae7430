package io.spikestream.job.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's formatter rule: a module of this project (a child of the parent pom, as neural-core
 * and flink-job are) with a misformatted Java file fails {@code mvn verify}'s format check, and
 * passes once the file is formatted. Runs a nested Maven on a small module in a temporary
 * directory, with the build's own local repository.
 */
class FormatterITCase {

  static final String FORMATTED =
      """
      package probe;

      /** A class formatted as google-java-format writes it. */
      public final class Probe {
        private Probe() {}

        static int twice(int x) {
          return 2 * x;
        }
      }
      """;

  static final String MISFORMATTED =
      """
      package probe;

      /** A class formatted as google-java-format writes it. */
      public final class Probe {
          private Probe() {}
        static int twice(int x) { return 2*x; }
      }
      """;

  @TempDir Path dir;

  @Test
  void aMisformattedFileBreaksTheBuildAndAFormattedOnePasses() throws Exception {
    // Maven 3.8 takes a relative path to the parent only
    Path root = Path.of(System.getProperty("spikestream.root", "..")).toAbsolutePath().normalize();
    Files.writeString(
        dir.resolve("pom.xml"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>io.spikestream</groupId>
            <artifactId>spikestream-parent</artifactId>
            <version>0.1.0-SNAPSHOT</version>
            <relativePath>%s</relativePath>
          </parent>
          <artifactId>format-probe</artifactId>
        </project>
        """
            .formatted(dir.relativize(root.resolve("pom.xml").normalize())));
    Path source = Files.createDirectories(dir.resolve("src/main/java/probe")).resolve("Probe.java");

    Files.writeString(source, MISFORMATTED);
    Run misformatted = check();
    assertThat(misformatted.exitCode()).as(misformatted.output()).isNotZero();
    assertThat(misformatted.output()).contains("Probe.java").contains("spotless:apply");

    Files.writeString(source, FORMATTED);
    Run formatted = check();
    assertThat(formatted.exitCode()).as(formatted.output()).isZero();
  }

  record Run(int exitCode, String output) {}

  private Run check() throws Exception {
    String repo = System.getProperty("spikestream.maven.repo");
    List<String> command =
        repo == null
            ? List.of("mvn", "-B", "spotless:check")
            : List.of("mvn", "-B", "-Dmaven.repo.local=" + repo, "spotless:check");
    Path log = dir.resolve("mvn.log");
    Process mvn =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("mvn finished").isTrue();
    return new Run(mvn.exitValue(), Files.readString(log));
  }
}
