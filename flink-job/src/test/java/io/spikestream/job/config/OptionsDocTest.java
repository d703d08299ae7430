package io.spikestream.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The options have one source of truth, {@link JobArguments}: {@code --help} is made from it, and
 * the option table of {@code docs/options.md} must be what it makes, or this test fails (with the
 * table it expects written to {@code target/options-table.md}, to paste in).
 */
class OptionsDocTest {

  static final Path DOC = Path.of("../docs/options.md");
  static final String BEGIN = "<!-- options: made from JobArguments, checked by OptionsDocTest -->";
  static final String END = "<!-- /options -->";

  @Test
  void theDocsOptionTableIsTheOneTheDefinitionsMake() throws Exception {
    String doc = Files.readString(DOC);
    assertThat(doc).contains(BEGIN).contains(END);
    String table = doc.substring(doc.indexOf(BEGIN) + BEGIN.length(), doc.indexOf(END)).strip();
    String expected = JobArguments.optionsTable().strip();
    if (!table.equals(expected)) {
      Files.writeString(Path.of("target/options-table.md"), expected + "\n");
    }
    assertThat(table)
        .as("docs/options.md's table; the expected one is in flink-job/target/options-table.md")
        .isEqualTo(expected);
  }

  @Test
  void theHelpTextListsEveryOptionWithItsDefault() {
    String usage = JobOptions.usage();
    for (picocli.CommandLine.Model.OptionSpec option :
        JobArguments.commandLine().getCommandSpec().options()) {
      assertThat(usage).contains(option.longestName());
      for (String line : option.description()) {
        assertThat(usage.replaceAll("\\s+", " ")).contains(line.replaceAll("\\s+", " "));
      }
    }
    assertThat(usage).contains("-h, --help").startsWith("Usage: java -jar spikestream-job.jar");
  }
}
