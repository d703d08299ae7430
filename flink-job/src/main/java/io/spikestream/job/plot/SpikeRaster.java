package io.spikestream.job.plot;

import java.util.Arrays;

/**
 * The spike marks of one group, on a grid no finer than the image's pixels: a cell is a run of
 * consecutive steps (a column) by a run of consecutive flat indices (a row), holds a count of the
 * spikes in it, and is drawn as one mark if the count is not zero.
 *
 * <p>Where the chosen steps fit the width, a column is one step and its marks sit at that step's
 * start time exactly; where the neurons fit the height, a row is one neuron. Beyond that, {@code
 * stepsPerColumn = ceil(steps / maxColumns)} and {@code neuronsPerRow = ceil(neurons / maxRows)},
 * so memory is two bytes per cell, at most {@code 2 * maxColumns * maxRows} bytes, whatever the
 * number of spikes, and so is the number of marks drawn. Counts saturate at {@value #MAX_COUNT}.
 */
final class SpikeRaster {

  /** The highest count a cell holds; more spikes in a cell leave it at that. */
  static final int MAX_COUNT = Character.MAX_VALUE;

  /** The marks as points, with each mark's spike count relative to the fullest cell's. */
  record Marks(double[] x, double[] y, float[] density) {}

  private final long firstStep;
  private final long steps;
  private final double stepTime;
  private final long stepsPerColumn;
  private final int columns;
  private final int neuronsPerRow;
  private final int rows;
  private final char[] counts;
  private int marks;

  /** Per column, the lowest step seen and its start time, which place the column's marks. */
  private final long[] columnStep;

  private final double[] columnT;

  /**
   * @param firstStep the first step with a record
   * @param lastStep the last step with a record, >= firstStep
   * @param stepTime the length of a step in ms, Δt, > 0
   * @param neurons the size of the batched shape, >= 1
   * @param maxColumns the most columns, at least the data area's width in pixels
   * @param maxRows the most rows, at least the data area's height in pixels
   */
  SpikeRaster(
      long firstStep, long lastStep, double stepTime, int neurons, int maxColumns, int maxRows) {
    this.firstStep = firstStep;
    this.stepTime = stepTime;
    this.steps = lastStep - firstStep + 1;
    this.stepsPerColumn = ceilDiv(steps, maxColumns);
    this.columns = (int) ceilDiv(steps, stepsPerColumn);
    this.neuronsPerRow = (int) ceilDiv(neurons, maxRows);
    this.rows = (int) ceilDiv(neurons, neuronsPerRow);
    this.counts = new char[columns * rows];
    this.columnStep = new long[columns];
    this.columnT = new double[columns];
    Arrays.fill(columnStep, Long.MAX_VALUE);
  }

  /** The same grid, empty: for a second reader whose counts are merged in later. */
  private SpikeRaster(SpikeRaster grid) {
    this.firstStep = grid.firstStep;
    this.stepTime = grid.stepTime;
    this.steps = grid.steps;
    this.stepsPerColumn = grid.stepsPerColumn;
    this.columns = grid.columns;
    this.neuronsPerRow = grid.neuronsPerRow;
    this.rows = grid.rows;
    this.counts = new char[grid.counts.length];
    this.columnStep = new long[columns];
    this.columnT = new double[columns];
    Arrays.fill(columnStep, Long.MAX_VALUE);
  }

  /**
   * @return an empty raster of the same grid, to fill from other part files and {@link #merge}
   */
  SpikeRaster emptyCopy() {
    return new SpikeRaster(this);
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /**
   * @return steps per column, 1 where every step has its own column
   */
  long stepsPerColumn() {
    return stepsPerColumn;
  }

  /**
   * @return flat indices per row, 1 where every neuron has its own row
   */
  int neuronsPerRow() {
    return neuronsPerRow;
  }

  /**
   * @return the number of columns, each at most one pixel wide
   */
  int columns() {
    return columns;
  }

  /**
   * @param step a step in {@code [firstStep, lastStep]}
   * @return its column
   */
  int columnOf(long step) {
    return (int) ((step - firstStep) / stepsPerColumn);
  }

  /**
   * Adds the spikes of one record.
   *
   * @param step the record's step, in {@code [firstStep, lastStep]}
   * @param t the step's start in ms
   * @param spikes flat indices that spiked, each below the group's neuron count
   * @param count how many of {@code spikes} are valid
   */
  void add(long step, double t, int[] spikes, int count) {
    int column = columnOf(step);
    if (step < columnStep[column]) {
      columnStep[column] = step;
      columnT[column] = t;
    }
    int base = column * rows;
    for (int i = 0; i < count; i++) {
      int cell = base + spikes[i] / neuronsPerRow;
      char n = counts[cell];
      if (n == 0) {
        marks++;
      }
      if (n < MAX_COUNT) {
        counts[cell] = (char) (n + 1);
      }
    }
  }

  /**
   * Adds the counts of another raster of the same grid (see {@link #emptyCopy}).
   *
   * @param other a raster filled from other part files
   */
  void merge(SpikeRaster other) {
    for (int column = 0; column < columns; column++) {
      if (other.columnStep[column] < columnStep[column]) {
        columnStep[column] = other.columnStep[column];
        columnT[column] = other.columnT[column];
      }
    }
    for (int cell = 0; cell < counts.length; cell++) {
      int n = counts[cell] + other.counts[cell];
      if (counts[cell] == 0 && n > 0) {
        marks++;
      }
      counts[cell] = (char) Math.min(n, MAX_COUNT);
    }
  }

  /**
   * @return the number of marks, one per cell where something spiked
   */
  int marks() {
    return marks;
  }

  /**
   * The marks: x the start in ms of the column's middle step (the step's own start where a column
   * is one step), y the row's middle flat index (the index itself where a row is one), and the
   * cell's count over the highest count of any cell, in (0, 1].
   *
   * @return the marks, column by column, row by row
   */
  Marks marksAsPoints() {
    int highest = 1;
    for (char n : counts) {
      highest = Math.max(highest, n);
    }
    double[] x = new double[marks];
    double[] y = new double[marks];
    float[] density = new float[marks];
    int i = 0;
    for (int cell = 0; cell < counts.length; cell++) {
      if (counts[cell] == 0) {
        continue;
      }
      int column = cell / rows;
      int row = cell % rows;
      // the middle of the column's steps; the last column may hold fewer than the others
      long start = column * stepsPerColumn;
      double middle = (start + Math.min(start + stepsPerColumn, steps) - 1) / 2.0;
      x[i] = columnT[column] + (firstStep + middle - columnStep[column]) * stepTime;
      y[i] = row * (double) neuronsPerRow + (neuronsPerRow - 1) / 2.0;
      density[i] = (float) counts[cell] / highest;
      i++;
    }
    return new Marks(x, y, density);
  }
}
