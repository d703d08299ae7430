package io.spikestream.job.plot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to plot and where to write it. Start from {@link #of} and change what differs with the
 * {@code with...} methods; {@link SpikePlot#render} checks the values and reports bad ones as a
 * {@link PlotException}.
 *
 * @param output the run's output directory, which holds {@code spikes/}
 * @param png where the PNG goes; its directory must exist
 * @param svg where the SVG goes, or null for none
 * @param group the one group to draw, or null for every group of the run
 * @param steps the steps to draw, inclusive ({@link StepRange#ALL} for all)
 * @param neurons flat indices into the batched shape {@code [B, N...]} of the neurons whose voltage
 *     traces to draw, at most {@value #MAX_TRACES}; empty to choose the {@code traces} neurons that
 *     spiked most
 * @param traces how many voltage traces to draw per group when {@code neurons} is empty, 0 to
 *     {@value #MAX_TRACES}
 * @param width image width in pixels, {@value #MIN_SIZE} to {@value #MAX_SIZE}
 * @param height image height in pixels, {@value #MIN_SIZE} to {@value #MAX_SIZE}, or 0 to size it
 *     by the number of panels
 */
public record PlotRequest(
    Path output,
    Path png,
    Path svg,
    String group,
    StepRange steps,
    List<Integer> neurons,
    int traces,
    int width,
    int height) {

  /** The most voltage traces drawn per group (one colour each). */
  public static final int MAX_TRACES = 10;

  /** Voltage traces drawn per group by default. */
  public static final int DEFAULT_TRACES = 3;

  /** Default image width in pixels. */
  public static final int DEFAULT_WIDTH = 1400;

  /** The smallest image width or height in pixels. */
  public static final int MIN_SIZE = 200;

  /** The largest image width or height in pixels (an ARGB image of 8000x8000 is 256 MB). */
  public static final int MAX_SIZE = 8000;

  /**
   * @throws NullPointerException if output, png, steps or neurons is null
   */
  public PlotRequest {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(png, "png");
    Objects.requireNonNull(steps, "steps");
    neurons = List.copyOf(neurons);
  }

  /**
   * A request for every group and step of a run, with {@value #DEFAULT_TRACES} voltage traces per
   * group, {@value #DEFAULT_WIDTH} pixels wide, as high as its panels need, and no SVG.
   *
   * @param output the run's output directory, which holds {@code spikes/}
   * @param png where the PNG goes
   * @return the request
   */
  public static PlotRequest of(Path output, Path png) {
    return new PlotRequest(
        output, png, null, null, StepRange.ALL, List.of(), DEFAULT_TRACES, DEFAULT_WIDTH, 0);
  }

  /**
   * @param svg where the SVG goes, or null for none
   * @return this request with that SVG path
   */
  public PlotRequest withSvg(Path svg) {
    return new PlotRequest(output, png, svg, group, steps, neurons, traces, width, height);
  }

  /**
   * @param group the one group to draw, or null for all
   * @return this request with that group
   */
  public PlotRequest withGroup(String group) {
    return new PlotRequest(output, png, svg, group, steps, neurons, traces, width, height);
  }

  /**
   * @param steps the steps to draw, inclusive
   * @return this request with that step range
   */
  public PlotRequest withSteps(StepRange steps) {
    return new PlotRequest(output, png, svg, group, steps, neurons, traces, width, height);
  }

  /**
   * @param neurons flat indices of the neurons whose voltage traces to draw; empty to choose
   * @return this request with those neurons
   */
  public PlotRequest withNeurons(List<Integer> neurons) {
    return new PlotRequest(output, png, svg, group, steps, neurons, traces, width, height);
  }

  /**
   * @param traces how many voltage traces to draw per group when no neurons are named
   * @return this request with that count
   */
  public PlotRequest withTraces(int traces) {
    return new PlotRequest(output, png, svg, group, steps, neurons, traces, width, height);
  }

  /**
   * @param width image width in pixels
   * @param height image height in pixels, or 0 to size it by the number of panels
   * @return this request with that size
   */
  public PlotRequest withSize(int width, int height) {
    return new PlotRequest(output, png, svg, group, steps, neurons, traces, width, height);
  }
}
