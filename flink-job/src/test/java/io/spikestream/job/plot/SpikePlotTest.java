package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.spikestream.job.event.SpikeRecord;
import io.spikestream.job.plot.RenderedPlot.Kind;
import io.spikestream.job.plot.RenderedPlot.Panel;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SpikePlotTest {

  // ---- the run: two groups, their records shuffled over three part files ----

  /** retina: 20 neurons, no voltages, t0 = 0 ms, Δt = 1 ms, steps 0 to 49. */
  static final int RETINA_STEPS = 50;

  /** retina's spikes as {step, flat index}. */
  static final int[][] RETINA_SPIKES = {
    {5, 19}, {10, 5}, {20, 3}, {30, 12}, {31, 12}, {40, 7}, {45, 0}, {49, 10}
  };

  /** Where retina has no spike: step 20, neuron 15 (the in-progress file spikes there). */
  static final int[] RETINA_EMPTY = {20, 15};

  /** v1: shape [2, 4] (8 neurons) with voltages, t0 = 5 ms, Δt = 0.5 ms, steps 0 to 79. */
  static final int V1_STEPS = 80;

  static final double V1_T0 = 5.0;
  static final double V1_DT = 0.5;

  /** v1's spikes by flat index: neuron 3 six times, 6 four times, 1 twice, 0 once. */
  static final Map<Integer, Set<Integer>> V1_SPIKES =
      Map.of(
          3, Set.of(10, 20, 30, 40, 50, 60),
          6, Set.of(15, 35, 55, 75),
          1, Set.of(25, 65),
          0, Set.of(70));

  /** A neuron's voltage after a step: -50 mV where it spiked, else -70 + index mV. */
  static float v1Voltage(int neuron, int step) {
    return V1_SPIKES.getOrDefault(neuron, Set.of()).contains(step) ? -50f : -70f + neuron;
  }

  static double v1Time(int step) {
    return V1_T0 + step * V1_DT;
  }

  static List<SpikeRecord> run() {
    List<SpikeRecord> records = new ArrayList<>();
    for (int step = 0; step < RETINA_STEPS; step++) {
      List<Integer> spikes = new ArrayList<>();
      for (int[] spike : RETINA_SPIKES) {
        if (spike[0] == step) {
          spikes.add(spike[1]);
        }
      }
      records.add(
          new SpikeRecord(
              "retina",
              step,
              step,
              spikes.stream().mapToInt(Integer::intValue).sorted().toArray(),
              null));
    }
    for (int step = 0; step < V1_STEPS; step++) {
      float[] voltage = new float[8];
      List<Integer> spikes = new ArrayList<>();
      for (int neuron = 0; neuron < 8; neuron++) {
        voltage[neuron] = v1Voltage(neuron, step);
        if (voltage[neuron] == -50f) {
          spikes.add(neuron);
        }
      }
      records.add(
          new SpikeRecord(
              "v1",
              step,
              v1Time(step),
              spikes.stream().mapToInt(Integer::intValue).toArray(),
              voltage));
    }
    return records;
  }

  @TempDir Path dir;
  Path output;
  Path png;

  @BeforeEach
  void writeRun() throws Exception {
    output = dir.resolve("run");
    Path spikes = SpikeRuns.write(output, 3, 42, run());
    // still being written: spikes where the committed files have none
    SpikeRuns.writeInProgress(
        spikes,
        List.of(
            new SpikeRecord("retina", RETINA_EMPTY[0], RETINA_EMPTY[0], new int[] {15}, null),
            new SpikeRecord("ghost", 3, 3.0, new int[] {0}, null)));
    png = dir.resolve("plot.png");
  }

  // ---- pixels ----

  /** The PNG pixel (column, row) where a data point of a panel is drawn, by the chart's axes. */
  static int[] pixelOf(RenderedPlot plot, Panel panel, double x, double y) {
    Rectangle2D area = plot.info().getPlotInfo().getSubplotInfo(panel.subplot()).getDataArea();
    XYPlot xy = panel.plot();
    double column = xy.getDomainAxis().valueToJava2D(x, area, xy.getDomainAxisEdge());
    double row = xy.getRangeAxis().valueToJava2D(y, area, xy.getRangeAxisEdge());
    return new int[] {(int) Math.floor(column), (int) Math.floor(row)};
  }

  static Color colourAt(BufferedImage image, int[] pixel) {
    return new Color(image.getRGB(pixel[0], pixel[1]));
  }

  /**
   * @return the first trace colour found within {@code radius} pixels of a pixel, else its colour
   */
  static Color traceColourNear(BufferedImage image, int[] pixel, int radius) {
    for (int dy = -radius; dy <= radius; dy++) {
      for (int dx = -radius; dx <= radius; dx++) {
        Color colour = new Color(image.getRGB(pixel[0] + dx, pixel[1] + dy));
        if (SpikePlot.TRACE_COLOURS.contains(colour)) {
          return colour;
        }
      }
    }
    return colourAt(image, pixel);
  }

  /** Every pixel of a panel's data area in the spike colour, as {column, row}. */
  static List<int[]> spikePixels(RenderedPlot plot, Panel panel, BufferedImage image) {
    Rectangle2D area = plot.info().getPlotInfo().getSubplotInfo(panel.subplot()).getDataArea();
    List<int[]> pixels = new ArrayList<>();
    for (int row = (int) area.getMinY(); row < area.getMaxY(); row++) {
      for (int column = (int) area.getMinX(); column < area.getMaxX(); column++) {
        if (new Color(image.getRGB(column, row)).equals(SpikePlot.SPIKE_COLOUR)) {
          pixels.add(new int[] {column, row});
        }
      }
    }
    return pixels;
  }

  /** Asserts each spike-coloured pixel lies within a mark's reach of one of the given spikes. */
  static void assertOnlyThese(
      RenderedPlot plot, Panel panel, BufferedImage image, List<double[]> spikes) {
    List<int[]> drawn = spikes.stream().map(s -> pixelOf(plot, panel, s[0], s[1])).toList();
    for (int[] pixel : spikePixels(plot, panel, image)) {
      assertThat(
              drawn.stream()
                  .anyMatch(
                      at -> Math.abs(at[0] - pixel[0]) <= 6 && Math.abs(at[1] - pixel[1]) <= 10))
          .as("spike-coloured pixel (%d, %d) of %s belongs to a spike", pixel[0], pixel[1], panel)
          .isTrue();
    }
  }

  static List<double[]> retinaSpikes(StepRange steps) {
    List<double[]> spikes = new ArrayList<>();
    for (int[] spike : RETINA_SPIKES) {
      if (steps.contains(spike[0])) {
        spikes.add(new double[] {spike[0], spike[1]});
      }
    }
    return spikes;
  }

  static List<double[]> v1Spikes(StepRange steps) {
    List<double[]> spikes = new ArrayList<>();
    V1_SPIKES.forEach(
        (neuron, steps1) ->
            steps1.stream()
                .filter(steps::contains)
                .forEach(step -> spikes.add(new double[] {v1Time(step), neuron})));
    return spikes;
  }

  // ---- tests ----

  @Test
  void drawsEachSpikeOfEachGroupAndNothingElse() throws Exception {
    RenderedPlot plot = SpikePlot.render(PlotRequest.of(output, png));
    BufferedImage image = ImageIO.read(png.toFile());

    assertThat(plot.panels())
        .extracting(Panel::group, Panel::kind)
        .containsExactly(
            tuple("retina", Kind.RASTER), tuple("v1", Kind.RASTER), tuple("v1", Kind.VOLTAGE));
    assertThat(image.getWidth()).isEqualTo(PlotRequest.DEFAULT_WIDTH);
    assertThat(plot.records()).isEqualTo(RETINA_STEPS + V1_STEPS); // not the in-progress ones
    assertThat(plot.spikes()).isEqualTo(RETINA_SPIKES.length + 13);

    Panel retina = plot.panel("retina", Kind.RASTER);
    for (double[] spike : retinaSpikes(StepRange.ALL)) {
      assertThat(colourAt(image, pixelOf(plot, retina, spike[0], spike[1])))
          .as("retina spike of neuron %s at %s ms", spike[1], spike[0])
          .isEqualTo(SpikePlot.SPIKE_COLOUR);
    }
    assertThat(colourAt(image, pixelOf(plot, retina, RETINA_EMPTY[0], RETINA_EMPTY[1])))
        .isNotEqualTo(SpikePlot.SPIKE_COLOUR);
    assertOnlyThese(plot, retina, image, retinaSpikes(StepRange.ALL));

    Panel v1 = plot.panel("v1", Kind.RASTER);
    for (double[] spike : v1Spikes(StepRange.ALL)) {
      assertThat(colourAt(image, pixelOf(plot, v1, spike[0], spike[1])))
          .as("v1 spike of neuron %s at %s ms", spike[1], spike[0])
          .isEqualTo(SpikePlot.SPIKE_COLOUR);
    }
    assertThat(colourAt(image, pixelOf(plot, v1, v1Time(40), 6)))
        .isNotEqualTo(SpikePlot.SPIKE_COLOUR);
    assertOnlyThese(plot, v1, image, v1Spikes(StepRange.ALL));
  }

  @Test
  void aGroupAloneHasOnlyItsPanels() throws Exception {
    RenderedPlot plot = SpikePlot.render(PlotRequest.of(output, png).withGroup("retina"));
    BufferedImage image = ImageIO.read(png.toFile());

    assertThat(plot.panels()).extracting(Panel::group).containsOnly("retina");
    // the end of retina's last step (plus 1% margin), not of v1's
    assertThat(plot.chart().getXYPlot().getDomainAxis().getUpperBound())
        .isEqualTo(RETINA_STEPS * 1.01);
    assertThat(plot.records()).isEqualTo(RETINA_STEPS);
    Panel retina = plot.panel("retina", Kind.RASTER);
    for (double[] spike : retinaSpikes(StepRange.ALL)) {
      assertThat(colourAt(image, pixelOf(plot, retina, spike[0], spike[1])))
          .isEqualTo(SpikePlot.SPIKE_COLOUR);
    }
    assertOnlyThese(plot, retina, image, retinaSpikes(StepRange.ALL));
    assertThatThrownBy(() -> plot.panel("v1", Kind.RASTER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stepsOutsideTheRangeAreDropped() throws Exception {
    StepRange steps = new StepRange(10, 30);
    RenderedPlot plot = SpikePlot.render(PlotRequest.of(output, png).withSteps(steps));
    BufferedImage image = ImageIO.read(png.toFile());

    // retina and v1 steps 10 to 30 (v1's at 10 to 20 ms): 3 + 5 spikes
    assertThat(plot.records()).isEqualTo(21 + 21);
    assertThat(retinaSpikes(steps)).hasSize(3);
    assertThat(v1Spikes(steps)).hasSize(5);
    assertThat(plot.spikes()).isEqualTo(3 + 5);
    Panel retina = plot.panel("retina", Kind.RASTER);
    for (double[] spike : retinaSpikes(steps)) {
      assertThat(colourAt(image, pixelOf(plot, retina, spike[0], spike[1])))
          .isEqualTo(SpikePlot.SPIKE_COLOUR);
    }
    // step 31 of retina (neuron 12, next to step 30's) and step 5 (neuron 19) are not drawn
    assertOnlyThese(plot, retina, image, retinaSpikes(steps));
    Panel v1 = plot.panel("v1", Kind.RASTER);
    assertOnlyThese(plot, v1, image, v1Spikes(steps));
    assertThat(spikePixels(plot, v1, image)).isNotEmpty();
    // the time axis spans the chosen steps: from retina's step 10 to the end of its step 30
    // (plus 1% margin each side)
    assertThat(plot.chart().getXYPlot().getDomainAxis().getLowerBound()).isEqualTo(9.79);
    assertThat(plot.chart().getXYPlot().getDomainAxis().getUpperBound()).isEqualTo(31.21);
  }

  @Test
  void tracesTheNeuronsThatSpikedMost() throws Exception {
    RenderedPlot plot = SpikePlot.render(PlotRequest.of(output, png));
    BufferedImage image = ImageIO.read(png.toFile());

    Panel voltage = plot.panel("v1", Kind.VOLTAGE);
    assertThat(voltage.neurons()).containsExactly(1, 3, 6); // 2, 6 and 4 spikes
    assertThat(voltage.plot().getDataset().getSeriesKey(1).toString()).contains("#3", "6 spikes");
    for (int i = 0; i < voltage.neurons().size(); i++) {
      int neuron = voltage.neurons().get(i);
      // step 3: every traced neuron at its own resting level, flat from step 0 to 9
      int[] pixel = pixelOf(plot, voltage, v1Time(3), v1Voltage(neuron, 3));
      assertThat(colourAt(image, pixel))
          .as("trace of neuron %d at its resting level", neuron)
          .isEqualTo(SpikePlot.TRACE_COLOURS.get(i));
    }
    // neuron 3's spike at step 20 lifts its trace to -50 mV there; the tip of a peak is only
    // partly covered by the anti-aliased line, so the trace colour is looked for within 2 px
    assertThat(traceColourNear(image, pixelOf(plot, voltage, v1Time(20), -50), 2))
        .isEqualTo(SpikePlot.TRACE_COLOURS.get(1));
    assertThat(traceColourNear(image, pixelOf(plot, voltage, v1Time(21), -50), 2))
        .isNotEqualTo(SpikePlot.TRACE_COLOURS.get(1)); // one step later it is back at rest
    // well below every trace, nothing is drawn
    assertThat(colourAt(image, pixelOf(plot, voltage, v1Time(3), -69.8))).isEqualTo(Color.WHITE);
    // retina has no voltages, so no voltage panel
    assertThatThrownBy(() -> plot.panel("retina", Kind.VOLTAGE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tracesTheNamedNeurons() throws Exception {
    RenderedPlot plot =
        SpikePlot.render(PlotRequest.of(output, png).withNeurons(List.of(7, 0)).withGroup("v1"));
    BufferedImage image = ImageIO.read(png.toFile());

    Panel voltage = plot.panel("v1", Kind.VOLTAGE);
    assertThat(voltage.neurons()).containsExactly(0, 7);
    assertThat(colourAt(image, pixelOf(plot, voltage, v1Time(3), v1Voltage(7, 3))))
        .isEqualTo(SpikePlot.TRACE_COLOURS.get(1));
    assertThat(traceColourNear(image, pixelOf(plot, voltage, v1Time(70), -50), 2))
        .isEqualTo(SpikePlot.TRACE_COLOURS.get(0)); // neuron 0 spiked at step 70
  }

  @Test
  void theMostSpikingNeuronsWinTiesToTheLowerIndex() throws Exception {
    RunScan.GroupScan group = new RunScan.GroupScan("g", true);
    SpikeRecordReader.Record record = new SpikeRecordReader.Record();
    record.group = "g";
    record.voltageCount = 6;
    record.spikes = new int[] {1, 2, 4, 5};
    record.spikeCount = 4;
    group.add(record, true); // 1, 2, 4 and 5 spiked once
    record.spikes = new int[] {5};
    record.spikeCount = 1;
    record.step = 1;
    group.add(record, true); // 5 twice
    PlotRequest request = PlotRequest.of(output, png);
    assertThat(SpikePlot.chooseNeurons(group, request)).containsExactly(1, 2, 5);
    assertThat(SpikePlot.chooseNeurons(group, request.withTraces(1))).containsExactly(5);
    assertThat(SpikePlot.chooseNeurons(group, request.withTraces(10)))
        .containsExactly(0, 1, 2, 3, 4, 5); // no more than the group has
    assertThat(SpikePlot.chooseNeurons(group, request.withTraces(0))).isNull();

    RunScan.GroupScan silent = new RunScan.GroupScan("quiet", true);
    record.spikeCount = 0;
    silent.add(record, true);
    assertThat(SpikePlot.chooseNeurons(silent, request)).containsExactly(0, 1, 2);
  }

  @Test
  void noTracesWhenAskedForNone() throws Exception {
    RenderedPlot plot = SpikePlot.render(PlotRequest.of(output, png).withTraces(0));
    assertThat(plot.panels()).extracting(Panel::kind).containsOnly(Kind.RASTER);
  }

  @Test
  void writesAWellFormedSvgWithAMarkPerSpike() throws Exception {
    Path svg = dir.resolve("plot.svg");
    RenderedPlot plot = SpikePlot.render(PlotRequest.of(output, png).withSvg(svg));

    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder().parse(svg.toFile());
    Element root = document.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(Double.parseDouble(root.getAttribute("width"))).isEqualTo(PlotRequest.DEFAULT_WIDTH);
    // each mark is a rectangle filled in the spike colour
    Color spike = SpikePlot.SPIKE_COLOUR;
    String fill = "rgb(" + spike.getRed() + "," + spike.getGreen() + "," + spike.getBlue() + ")";
    NodeList rects = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    int marks = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      if (((Element) rects.item(i)).getAttribute("style").equals("fill:" + fill)) {
        marks++;
      }
    }
    assertThat(marks).isEqualTo(plot.marks()).isEqualTo((int) plot.spikes());
    assertThat(Files.exists(png)).isTrue();
  }
}
