package io.spikestream.job.plot;

import java.time.Duration;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * What {@link SpikePlot#render} drew: the chart, where its panels landed in the PNG, and how much
 * of the run went into it.
 *
 * @param chart the chart as drawn
 * @param info the layout of the PNG: {@code info.getPlotInfo().getSubplotInfo(panel.subplot())
 *     .getDataArea()} is a panel's data area in PNG pixel coordinates
 * @param panels the panels from top to bottom
 * @param records spike records drawn (of the drawn groups, in the chosen steps)
 * @param spikes spikes in those records
 * @param marks marks drawn in the rasters; fewer than spikes where several share a cell
 * @param elapsed the time from the request to the written files
 */
public record RenderedPlot(
    JFreeChart chart,
    ChartRenderingInfo info,
    List<Panel> panels,
    long records,
    long spikes,
    long marks,
    Duration elapsed) {

  /** What a panel shows. */
  public enum Kind {
    /** Spikes: x the step's start in ms, y the flat index of the neuron. */
    RASTER,
    /** Voltages in mV of a few neurons after each step, against the step's start in ms. */
    VOLTAGE
  }

  /**
   * One panel of the chart; all share the time axis.
   *
   * @param group the group id
   * @param kind what it shows
   * @param subplot its index among the chart's subplots, top to bottom
   * @param plot its plot, whose axes map data to the PNG's pixels ({@code valueToJava2D})
   * @param neurons the flat indices whose voltage traces it draws, ascending, series by series (a
   *     {@link Kind#VOLTAGE} panel), or empty
   * @param stepsPerMark steps per raster cell, 1 where each step has its own column
   * @param neuronsPerMark flat indices per raster cell, 1 where each neuron has its own row
   */
  public record Panel(
      String group,
      Kind kind,
      int subplot,
      XYPlot plot,
      List<Integer> neurons,
      long stepsPerMark,
      int neuronsPerMark) {}

  /**
   * @param group a group id
   * @param kind a kind of panel
   * @return the group's panel of that kind
   * @throws IllegalArgumentException if the chart has no such panel
   */
  public Panel panel(String group, Kind kind) {
    return panels.stream()
        .filter(panel -> panel.group().equals(group) && panel.kind() == kind)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no " + kind + " panel of group '" + group + "'"));
  }
}
