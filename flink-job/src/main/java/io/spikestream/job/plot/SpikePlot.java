package io.spikestream.job.plot;

import io.spikestream.job.plot.RenderedPlot.Kind;
import io.spikestream.job.plot.RenderedPlot.Panel;
import io.spikestream.job.plot.RunScan.GroupScan;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYDotRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws a run's spikes into a PNG, and an SVG if asked: per group a raster (x the step's start in
 * ms, y the flat index into the batched shape {@code [B, N...]} of the neuron that spiked) and,
 * where the group's records carry voltages, the voltage traces of a few neurons (in mV, after each
 * step) below it. All panels share the time axis.
 *
 * <p>The committed part files of {@code OUTPUT/spikes/} ({@code part-*}; hidden in-progress files
 * are skipped) are streamed twice. The first pass learns the groups, their steps, neuron counts
 * and, in the chosen steps, each neuron's spike count, which picks the traced neurons. The second
 * pass bins spikes into a {@link SpikeRaster} grid no finer than the image's pixels and voltages
 * into per-column {@link VoltageTraces}, so memory is bounded by the image size and the neuron
 * count, not by the number of records, and what is drawn is at most one mark per pixel cell.
 *
 * <p>Traced neurons: those named in {@link PlotRequest#neurons}, in every drawn group whose records
 * carry voltages; otherwise per group the {@link PlotRequest#traces} neurons with the most spikes
 * in the chosen steps, ties to the lower flat index (so a group that never spiked shows its first
 * neurons).
 */
public final class SpikePlot {

  /** The colour of the spike marks. */
  public static final Color SPIKE_COLOUR = new Color(0x1b, 0x1e, 0x3c);

  /** The colours of a panel's voltage traces, in the order of their flat indices. */
  public static final List<Color> TRACE_COLOURS =
      List.of(
          new Color(0x1f77b4),
          new Color(0xff7f0e),
          new Color(0x2ca02c),
          new Color(0xd62728),
          new Color(0x9467bd),
          new Color(0x8c564b),
          new Color(0xe377c2),
          new Color(0x7f7f7f),
          new Color(0xbcbd22),
          new Color(0x17becf));

  /** Heights in pixels of a raster panel, a voltage panel, and the title and time axis. */
  static final int RASTER_HEIGHT = 260;

  static final int VOLTAGE_HEIGHT = 190;
  static final int FRAME_HEIGHT = 150;

  private static final Color GRID = new Color(0xdddddd);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  private SpikePlot() {}

  /**
   * Reads a run's spike records and writes the plot.
   *
   * @param request what to draw and where
   * @return what was drawn, with the PNG's layout
   * @throws PlotException for a bad request value, an output directory that does not exist or has
   *     no {@code spikes/}, a run without records, an unknown group, steps that hold no records,
   *     {@code --neurons} out of range or without voltages, a malformed record, or a PNG or SVG
   *     path that cannot be written; the message names the thing
   */
  public static RenderedPlot render(PlotRequest request) throws PlotException {
    long started = System.nanoTime();
    checkValues(request);
    List<Path> files = PartFiles.list(request.output());
    checkWritable(request.png(), "--png");
    if (request.svg() != null) {
      checkWritable(request.svg(), "--svg");
    }

    // ---- first pass: groups, steps, neuron counts, spike counts ----
    int threads = Runtime.getRuntime().availableProcessors();
    List<RunScan> scans =
        PartFiles.read(files, threads, () -> new RunScan(request.steps(), request.group()));
    RunScan scan = scans.get(0);
    for (RunScan other : scans.subList(1, scans.size())) {
      scan.merge(other);
    }
    List<GroupScan> drawn = drawnGroups(request, scan);

    // ---- layout, and for each drawn group its grid and traced neurons ----
    int width = request.width();
    Map<String, GroupDrawing> drawings = new HashMap<>();
    List<GroupDrawing> ordered = new ArrayList<>();
    int weights = 0;
    for (GroupScan group : drawn) {
      GroupDrawing drawing = new GroupDrawing(group, chooseNeurons(group, request));
      drawings.put(group.id, drawing);
      ordered.add(drawing);
      weights += RASTER_HEIGHT + (drawing.neurons == null ? 0 : VOLTAGE_HEIGHT);
    }
    int height =
        request.height() > 0
            ? request.height()
            : Math.min(PlotRequest.MAX_SIZE, FRAME_HEIGHT + weights);
    // a raster's data area is smaller than its share of the image's height, so rows of that
    // share are at most a pixel high (and columns of the image's width at most a pixel wide)
    int rasterRows = Math.max(1, (int) ((long) height * RASTER_HEIGHT / weights));
    for (GroupDrawing drawing : ordered) {
      drawing.allocate(width, rasterRows);
    }

    // ---- second pass: spikes into the grids, voltages into the traces ----
    // the first reader fills the drawings themselves, the others empty copies merged after
    boolean[] first = {true};
    List<Drawing> passes =
        PartFiles.read(
            files,
            threads,
            () -> {
              if (first[0]) {
                first[0] = false;
                return new Drawing(request.steps(), drawings);
              }
              Map<String, GroupDrawing> copies = new HashMap<>();
              drawings.forEach((id, drawing) -> copies.put(id, drawing.emptyCopy()));
              return new Drawing(request.steps(), copies);
            });
    for (Drawing pass : passes.subList(1, passes.size())) {
      pass.groups.forEach((id, copy) -> drawings.get(id).merge(copy));
    }

    JFreeChart chart = chart(request, ordered, width, rasterRows);
    List<Panel> panels = new ArrayList<>();
    long records = 0;
    long spikes = 0;
    long marks = 0;
    for (GroupDrawing drawing : ordered) {
      records += drawing.scan.selectedRecords;
      spikes += drawing.scan.selectedSpikes;
      marks += drawing.raster == null ? 0 : drawing.raster.marks();
    }
    CombinedDomainXYPlot combined = (CombinedDomainXYPlot) chart.getPlot();
    List<XYPlot> subplots = combined.getSubplots();
    int subplot = 0;
    for (GroupDrawing drawing : ordered) {
      long stepsPerMark = drawing.raster == null ? 1 : drawing.raster.stepsPerColumn();
      int neuronsPerMark = drawing.raster == null ? 1 : drawing.raster.neuronsPerRow();
      panels.add(
          new Panel(
              drawing.scan.id,
              Kind.RASTER,
              subplot,
              subplots.get(subplot),
              List.of(),
              stepsPerMark,
              neuronsPerMark));
      subplot++;
      if (drawing.neurons != null) {
        panels.add(
            new Panel(
                drawing.scan.id,
                Kind.VOLTAGE,
                subplot,
                subplots.get(subplot),
                Arrays.stream(drawing.neurons).boxed().toList(),
                stepsPerMark,
                neuronsPerMark));
        subplot++;
      }
    }

    // ---- the files ----
    ChartRenderingInfo info = new ChartRenderingInfo(null); // no per-mark entities: memory
    BufferedImage image =
        chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
    try (OutputStream out = Files.newOutputStream(request.png())) {
      ChartUtils.writeBufferedImageAsPNG(out, image);
    } catch (IOException e) {
      throw cannotWrite("--png", request.png(), e);
    }
    if (request.svg() != null) {
      SVGGraphics2D svg = new SVGGraphics2D(width, height);
      chart.draw(svg, new Rectangle2D.Double(0, 0, width, height));
      try (Writer out = Files.newBufferedWriter(request.svg(), StandardCharsets.UTF_8)) {
        // the element alone, no DOCTYPE: XML readers need not fetch the SVG 1.1 DTD
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write(svg.getSVGElement());
        out.write('\n');
      } catch (IOException e) {
        throw cannotWrite("--svg", request.svg(), e);
      }
    }
    return new RenderedPlot(
        chart,
        info,
        List.copyOf(panels),
        records,
        spikes,
        marks,
        Duration.ofNanos(System.nanoTime() - started));
  }

  // ---- checks ----

  private static void checkValues(PlotRequest request) throws PlotException {
    if (request.width() < PlotRequest.MIN_SIZE || request.width() > PlotRequest.MAX_SIZE) {
      throw new PlotException(
          "'--width' of "
              + request.width()
              + " must be between "
              + PlotRequest.MIN_SIZE
              + " and "
              + PlotRequest.MAX_SIZE);
    }
    if (request.height() != 0
        && (request.height() < PlotRequest.MIN_SIZE || request.height() > PlotRequest.MAX_SIZE)) {
      throw new PlotException(
          "'--height' of "
              + request.height()
              + " must be 0 (sized by the panels) or between "
              + PlotRequest.MIN_SIZE
              + " and "
              + PlotRequest.MAX_SIZE);
    }
    if (request.traces() < 0 || request.traces() > PlotRequest.MAX_TRACES) {
      throw new PlotException(
          "'--traces' of " + request.traces() + " must be between 0 and " + PlotRequest.MAX_TRACES);
    }
    if (request.neurons().size() > PlotRequest.MAX_TRACES) {
      throw new PlotException(
          "'--neurons' names "
              + request.neurons().size()
              + " neurons, at most "
              + PlotRequest.MAX_TRACES
              + " are traced");
    }
    for (int neuron : request.neurons()) {
      if (neuron < 0) {
        throw new PlotException("'--neurons' index " + neuron + " must be >= 0");
      }
    }
  }

  /** Refuses early, before reading a large run, a file that could not be written at the end. */
  private static void checkWritable(Path file, String option) throws PlotException {
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent();
    String reason = null;
    if (Files.isDirectory(absolute)) {
      reason = "it is a directory";
    } else if (directory == null || !Files.exists(directory)) {
      reason = "directory '" + directory + "' does not exist";
    } else if (!Files.isDirectory(directory)) {
      reason = "'" + directory + "' is not a directory";
    } else if (!Files.isWritable(directory)
        || (Files.exists(absolute) && !Files.isWritable(absolute))) {
      reason = "permission denied";
    }
    if (reason != null) {
      throw new PlotException("'" + option + "' '" + file + "' cannot be written: " + reason);
    }
  }

  private static PlotException cannotWrite(String option, Path file, IOException e) {
    try {
      Files.deleteIfExists(file); // no half-written image left behind
    } catch (IOException ignored) {
      // the write already failed; that is the error to report
    }
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new PlotException("'" + option + "' '" + file + "' cannot be written: " + reason);
  }

  private static List<GroupScan> drawnGroups(PlotRequest request, RunScan scan)
      throws PlotException {
    Map<String, GroupScan> groups = scan.groups();
    if (groups.isEmpty()) {
      throw new PlotException(
          "'--output' directory '"
              + request.output()
              + "' has no committed spike records in spikes/");
    }
    List<GroupScan> drawn;
    String which;
    if (request.group() != null) {
      GroupScan group = groups.get(request.group());
      if (group == null) {
        throw new PlotException(
            "'--group' '"
                + request.group()
                + "' is not a group of the run (its groups: "
                + listed(groups.keySet())
                + ")");
      }
      drawn = List.of(group);
      which = "group '" + group.id + "'";
    } else {
      drawn = List.copyOf(groups.values());
      which = "the run";
    }
    if (drawn.stream().allMatch(group -> group.selectedRecords == 0)) {
      long first = drawn.stream().mapToLong(group -> group.firstStep).min().orElseThrow();
      long last = drawn.stream().mapToLong(group -> group.lastStep).max().orElseThrow();
      throw new PlotException(
          "'--steps' "
              + request.steps()
              + " holds no records of "
              + which
              + ", whose steps are "
              + first
              + " to "
              + last);
    }
    if (!request.neurons().isEmpty()
        && drawn.stream().allMatch(group -> group.selectedVoltages == 0)) {
      throw new PlotException(
          "'--neurons' "
              + request.neurons().stream().map(String::valueOf).collect(Collectors.joining(","))
              + " asks for voltage traces, but no record of "
              + which
              + " in these steps carries voltages (the job writes them with --emit-voltage)");
    }
    return drawn;
  }

  private static String listed(Collection<String> ids) {
    List<String> shown = ids.stream().limit(10).toList();
    return String.join(", ", shown) + (ids.size() > shown.size() ? ", ..." : "");
  }

  /**
   * @return the ascending flat indices to trace, or null for no voltage panel
   */
  static int[] chooseNeurons(GroupScan group, PlotRequest request) throws PlotException {
    if (group.selectedVoltages == 0 || group.voltageLength == 0) {
      return null;
    }
    if (!request.neurons().isEmpty()) {
      for (int neuron : request.neurons()) {
        if (neuron >= group.voltageLength) {
          throw new PlotException(
              "'--neurons' index "
                  + neuron
                  + " is out of range [0, "
                  + group.voltageLength
                  + ") of group '"
                  + group.id
                  + "'");
        }
      }
      return request.neurons().stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    }
    int k = Math.min(request.traces(), group.neurons());
    if (k == 0) {
      return null;
    }
    // the k most spiking by (count descending, index ascending): one pass, insertion into k slots
    int[] best = new int[k];
    int filled = 0;
    for (int index = 0; index < group.neurons(); index++) {
      int count = group.spikesOf(index);
      if (filled == k && count <= group.spikesOf(best[k - 1])) {
        continue; // ties keep the lower index, already in
      }
      int at = filled < k ? filled++ : k - 1;
      while (at > 0 && group.spikesOf(best[at - 1]) < count) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = index;
    }
    Arrays.sort(best);
    return best;
  }

  // ---- the second pass ----

  /** One drawn group: its scan, and the grid and traces the second pass fills. */
  private static final class GroupDrawing {
    final GroupScan scan;

    /** Flat indices traced, ascending, or null for no voltage panel. */
    final int[] neurons;

    SpikeRaster raster;
    VoltageTraces traces;

    GroupDrawing(GroupScan scan, int[] neurons) {
      this.scan = scan;
      this.neurons = neurons;
    }

    /** The same grid and traced neurons, empty, for another reader. */
    GroupDrawing emptyCopy() {
      GroupDrawing copy = new GroupDrawing(scan, neurons);
      if (raster != null) {
        copy.raster = raster.emptyCopy();
        if (traces != null) {
          copy.traces = new VoltageTraces(neurons, copy.raster);
        }
      }
      return copy;
    }

    void merge(GroupDrawing other) {
      if (raster != null) {
        raster.merge(other.raster);
        if (traces != null) {
          traces.merge(other.traces);
        }
      }
    }

    void allocate(int maxColumns, int maxRows) {
      if (scan.selectedRecords == 0) {
        return; // an empty panel: the group has no record in the chosen steps
      }
      raster =
          new SpikeRaster(
              scan.selectedFirstStep,
              scan.selectedLastStep,
              scan.stepTime(),
              scan.neurons(),
              maxColumns,
              maxRows);
      if (neurons != null) {
        traces = new VoltageTraces(neurons, raster);
      }
    }
  }

  /** Hands each record of a drawn group in the chosen steps to its grid and traces. */
  private static final class Drawing implements SpikeRecordReader.Handler {
    private final StepRange steps;
    private final Map<String, GroupDrawing> groups;
    private GroupDrawing previous;

    Drawing(StepRange steps, Map<String, GroupDrawing> groups) {
      this.steps = steps;
      this.groups = groups;
    }

    private GroupDrawing find(String group) {
      if (previous == null || !previous.scan.id.equals(group)) {
        previous = groups.get(group);
      }
      return previous;
    }

    @Override
    public int[] voltagesOf(String group) {
      GroupDrawing drawing = find(group);
      return drawing == null || drawing.traces == null ? null : drawing.neurons;
    }

    @Override
    public void accept(SpikeRecordReader.Record record) {
      if (!steps.contains(record.step)) {
        return;
      }
      GroupDrawing drawing = find(record.group);
      if (drawing == null || drawing.raster == null) {
        return;
      }
      drawing.raster.add(record.step, record.t, record.spikes, record.spikeCount);
      if (drawing.traces != null && record.voltageCount >= 0) {
        drawing.traces.add(record.step, record.t, record.selected);
      }
    }
  }

  // ---- the chart ----

  private static JFreeChart chart(
      PlotRequest request, List<GroupDrawing> groups, int width, int rasterRows) {
    double from = Double.POSITIVE_INFINITY;
    double to = Double.NEGATIVE_INFINITY;
    long firstStep = Long.MAX_VALUE;
    long lastStep = Long.MIN_VALUE;
    long records = 0;
    long spikes = 0;
    for (GroupDrawing group : groups) {
      GroupScan scan = group.scan;
      if (scan.selectedRecords > 0) {
        from = Math.min(from, scan.selectedFirstT);
        to = Math.max(to, scan.selectedLastT + scan.stepTime()); // the end of the last step
        firstStep = Math.min(firstStep, scan.selectedFirstStep);
        lastStep = Math.max(lastStep, scan.selectedLastStep);
      }
      records += scan.selectedRecords;
      spikes += scan.selectedSpikes;
    }
    NumberAxis time = new NumberAxis("time (ms)");
    time.setLabelFont(LABEL_FONT);
    // a margin of 1% each side keeps the marks of the first and last step off the plot's frame
    double margin = 0.01 * (to - from);
    time.setRange(from - margin, to + margin);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
    combined.setGap(16);
    List<String> merged = new ArrayList<>();
    for (GroupDrawing group : groups) {
      combined.add(raster(group, width, rasterRows), RASTER_HEIGHT);
      if (group.neurons != null) {
        combined.add(voltages(group), VOLTAGE_HEIGHT);
      }
      SpikeRaster raster = group.raster;
      if (raster != null && (raster.stepsPerColumn() > 1 || raster.neuronsPerRow() > 1)) {
        merged.add(
            group.scan.id
                + " "
                + raster.stepsPerColumn()
                + " step"
                + (raster.stepsPerColumn() > 1 ? "s" : "")
                + " \u00d7 "
                + raster.neuronsPerRow()
                + " neuron"
                + (raster.neuronsPerRow() > 1 ? "s" : ""));
      }
    }
    Path name = request.output().toAbsolutePath().normalize().getFileName();
    JFreeChart chart =
        new JFreeChart(
            "Spikes of " + (name == null ? request.output() : name),
            JFreeChart.DEFAULT_TITLE_FONT,
            combined,
            false);
    chart.setBackgroundPaint(Color.WHITE);
    // the steps drawn: as asked, or each group's own (groups may step at different rates)
    String steps;
    if (!request.steps().isAll()) {
      steps = "steps " + request.steps().first() + " to " + request.steps().last();
    } else if (groups.size() == 1) {
      steps = "steps " + firstStep + " to " + lastStep;
    } else {
      steps =
          groups.stream()
                  .limit(4)
                  .map(
                      group ->
                          group.scan.id
                              + " steps "
                              + group.scan.selectedFirstStep
                              + " to "
                              + group.scan.selectedLastStep)
                  .collect(Collectors.joining(", "))
              + (groups.size() > 4 ? ", ..." : "");
    }
    chart.addSubtitle(
        new TextTitle(
            String.format(
                "%s  ·  %d group%s  ·  %,d records  ·  %,d spikes",
                steps, groups.size(), groups.size() == 1 ? "" : "s", records, spikes),
            LABEL_FONT));
    if (!merged.isEmpty()) {
      chart.addSubtitle(
          new TextTitle(
              "more steps or neurons than pixels: a mark stands for a cell of several, darker"
                  + " the more spikes it holds: "
                  + String.join(", ", merged),
              new Font(Font.SANS_SERIF, Font.ITALIC, 12)));
    }
    return chart;
  }

  private static XYPlot raster(GroupDrawing group, int width, int rasterRows) {
    int neurons = group.scan.neurons();
    NumberAxis axis = new NumberAxis(group.scan.id + ": neuron index");
    axis.setLabelFont(LABEL_FONT);
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    axis.setRange(-0.5, neurons - 0.5);
    DefaultXYDataset dataset = new DefaultXYDataset();
    XYDotRenderer dots = new XYDotRenderer();
    if (group.raster != null) {
      SpikeRaster.Marks marks = group.raster.marksAsPoints();
      dataset.addSeries("spikes", new double[][] {marks.x(), marks.y()});
      dots = new ShadedDots(marks.density());
      // marks about 60% of a cell, at least 2 px (so a mark always covers its own pixel), so
      // neighbouring steps and neurons stay apart while few, and merge where there are many
      double columnPixels = (double) width / group.raster.columns();
      double rowPixels = (double) rasterRows * group.raster.neuronsPerRow() / neurons;
      dots.setDotWidth(clamp((int) Math.round(0.6 * columnPixels), 2, 6));
      dots.setDotHeight(clamp((int) Math.round(0.6 * rowPixels), 2, 10));
    }
    XYPlot plot = new XYPlot(dataset, null, axis, dots);
    style(plot);
    return plot;
  }

  /**
   * Marks in {@link #SPIKE_COLOUR} where a cell holds as many spikes as the panel's fullest cell
   * (so everywhere a cell is one step of one neuron), lighter where it holds fewer, by the square
   * root of the ratio: a raster with more spikes than pixels still shows where it is densest.
   */
  private static final class ShadedDots extends XYDotRenderer {
    private static final int LEVELS = 64;
    private static final Color[] SHADES = new Color[LEVELS];

    static {
      for (int i = 0; i < LEVELS; i++) {
        double ink = 0.2 + 0.8 * i / (LEVELS - 1); // the faintest mark is still visible on white
        SHADES[i] =
            new Color(
                (int) Math.round(255 + (SPIKE_COLOUR.getRed() - 255) * ink),
                (int) Math.round(255 + (SPIKE_COLOUR.getGreen() - 255) * ink),
                (int) Math.round(255 + (SPIKE_COLOUR.getBlue() - 255) * ink));
      }
      SHADES[LEVELS - 1] = SPIKE_COLOUR;
    }

    private final byte[] shades;

    ShadedDots(float[] density) {
      shades = new byte[density.length];
      for (int i = 0; i < density.length; i++) {
        shades[i] = (byte) Math.round((LEVELS - 1) * Math.sqrt(density[i]));
      }
    }

    @Override
    public Paint getItemPaint(int series, int item) {
      return SHADES[shades[item]];
    }
  }

  private static XYPlot voltages(GroupDrawing group) {
    NumberAxis axis = new NumberAxis(group.scan.id + ": V (mV)");
    axis.setLabelFont(LABEL_FONT);
    axis.setAutoRangeIncludesZero(false);
    axis.setUpperMargin(0.3); // room for the legend above the traces
    DefaultXYDataset dataset = new DefaultXYDataset();
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setDrawSeriesLineAsPath(true);
    for (int i = 0; i < group.neurons.length; i++) {
      int neuron = group.neurons[i];
      int count = group.scan.spikesOf(neuron);
      String key = String.format("#%d  (%,d spike%s)", neuron, count, count == 1 ? "" : "s");
      dataset.addSeries(
          key, group.traces == null ? new double[2][0] : group.traces.trace(i)); // no records
      lines.setSeriesPaint(i, TRACE_COLOURS.get(i));
      lines.setSeriesStroke(i, new BasicStroke(2f));
    }
    XYPlot plot = new XYPlot(dataset, null, axis, lines);
    style(plot);
    LegendTitle legend = new LegendTitle(plot);
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    legend.setBackgroundPaint(new Color(255, 255, 255, 220));
    legend.setFrame(new BlockBorder(GRID));
    legend.setPosition(RectangleEdge.TOP);
    legend.setMargin(new RectangleInsets(4, 4, 4, 4));
    plot.addAnnotation(new XYTitleAnnotation(0.995, 0.985, legend, RectangleAnchor.TOP_RIGHT));
    return plot;
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlinePaint(Color.GRAY);
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
