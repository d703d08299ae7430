package io.spikestream.job.plot;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code plot} command: draws a run's spike raster and voltage traces into a PNG (and an SVG)
 * with {@link SpikePlot}. Run on its own with {@code new CommandLine(new PlotCommand())
 * .execute(args)}, or as a subcommand of the job's command.
 *
 * <p>Exit codes: 0 when the files are written; 2 for a user error, with one line on stderr that
 * names the thing ({@code plot: '--group' 'lgn' is not a group of the run (its groups: retina)});
 * command-line syntax errors found by picocli (an unknown option, a missing required option, a
 * number that is not one) are reported by the command line's parameter exception handler, exit code
 * 2 as well.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    versionProvider = PlotCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Draws a run's spikes into a PNG: per group a raster (x: the step's start in ms, y: the"
          + " neuron's flat index into the batched shape [B, N...]) and, where the records carry"
          + " voltages (the job's --emit-voltage), the voltage traces of a few neurons (mV).",
      "Reads the committed part files of DIR/spikes/ (hidden in-progress files are skipped)."
    },
    footer = {
      "",
      "Traced neurons: those of --neurons in every drawn group, else per group the --traces"
          + " neurons with the most spikes in the drawn steps (ties to the lower index).",
      "Where steps or neurons outnumber pixels, one mark stands for the spikes of a cell of"
          + " several, darker the more it holds; the subtitle says how many.",
      "Exit codes: 0 written, 2 user error (one line on stderr)."
    })
public final class PlotCommand implements Callable<Integer> {

  /** The exit code of a user error. */
  public static final int USER_ERROR = 2;

  @Spec private CommandSpec spec;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The run's output directory (the job's --output); holds spikes/.")
  private Path output;

  @Option(
      names = "--png",
      required = true,
      paramLabel = "FILE",
      description = "Where the PNG goes; its directory must exist.")
  private Path png;

  @Option(names = "--svg", paramLabel = "FILE", description = "Also write the plot as SVG here.")
  private Path svg;

  @Option(
      names = "--group",
      paramLabel = "ID",
      description = "Draw only this group (default: one panel per group).")
  private String group;

  @Option(
      names = "--steps",
      paramLabel = "A:B",
      description = "Draw only steps A to B, both inclusive (default: all).")
  private String steps;

  @Option(
      names = "--neurons",
      paramLabel = "I,J,...",
      description =
          "Trace the voltages of these flat indices (at most "
              + PlotRequest.MAX_TRACES
              + ") in every drawn group.")
  private String neurons;

  @Option(
      names = "--traces",
      paramLabel = "K",
      defaultValue = "" + PlotRequest.DEFAULT_TRACES,
      description =
          "Without --neurons, trace the K neurons per group that spiked most, 0 to "
              + PlotRequest.MAX_TRACES
              + " (default: ${DEFAULT-VALUE}).")
  private int traces;

  @Option(
      names = "--width",
      paramLabel = "PX",
      defaultValue = "" + PlotRequest.DEFAULT_WIDTH,
      description = "Image width in pixels (default: ${DEFAULT-VALUE}).")
  private int width;

  @Option(
      names = "--height",
      paramLabel = "PX",
      defaultValue = "0",
      description =
          "Image height in pixels (default: "
              + SpikePlot.FRAME_HEIGHT
              + " plus "
              + SpikePlot.RASTER_HEIGHT
              + " per raster and "
              + SpikePlot.VOLTAGE_HEIGHT
              + " per voltage panel).")
  private int height;

  /** For picocli, which sets the options. */
  public PlotCommand() {}

  /**
   * Writes the plot and one summary line to stdout.
   *
   * @return 0 when written, {@value #USER_ERROR} for a user error (its line on stderr)
   */
  @Override
  public Integer call() {
    // files only, no window: without this a DISPLAY left set would make AWT look for an X server
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    CommandLine commandLine = spec.commandLine();
    try {
      PlotRequest request =
          PlotRequest.of(output, png)
              .withSvg(svg)
              .withGroup(group)
              .withSteps(steps == null ? StepRange.ALL : StepRange.parse(steps))
              .withNeurons(neurons == null ? List.of() : parseNeurons(neurons))
              .withTraces(traces)
              .withSize(width, height);
      RenderedPlot plot = SpikePlot.render(request);
      PrintWriter out = commandLine.getOut();
      out.printf(
          "wrote %s%s: %,d records, %,d spikes, %,d marks, %.1f s%n",
          png,
          svg == null ? "" : " and " + svg,
          plot.records(),
          plot.spikes(),
          plot.marks(),
          plot.elapsed().toMillis() / 1000.0);
      out.flush();
      return 0;
    } catch (PlotException e) {
      PrintWriter err = commandLine.getErr();
      err.println("plot: " + e.getMessage());
      err.flush();
      return USER_ERROR;
    }
  }

  /**
   * @param text flat indices separated by commas, such as {@code 3,17}
   * @return the indices
   * @throws PlotException naming {@code '--neurons'} and the text if an item is not an integer
   */
  static List<Integer> parseNeurons(String text) throws PlotException {
    List<Integer> indices = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      try {
        indices.add(Integer.parseInt(item.strip()));
      } catch (NumberFormatException e) {
        throw new PlotException(
            "'--neurons' of '" + text + "' must be flat indices separated by commas");
      }
    }
    return indices;
  }

  /** The version of the job jar this command runs from, from its Maven descriptor. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in =
          PlotCommand.class.getResourceAsStream(
              "/META-INF/maven/io.spikestream/flink-job/pom.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "spikestream plot " + properties.getProperty("version", "(not run from the job jar)")
      };
    }
  }
}
