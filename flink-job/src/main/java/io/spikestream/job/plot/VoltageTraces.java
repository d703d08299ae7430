package io.spikestream.job.plot;

import java.util.Arrays;

/**
 * The voltage traces of a few neurons of one group, reduced per column of {@link SpikeRaster} to at
 * most four samples: the first and last by time, the lowest and the highest (M4 aggregation). A
 * line through those four per pixel column draws the same pixels as a line through every sample, in
 * memory of {@code 4 * columns} samples per neuron, whatever the number of steps; where a column is
 * one step, the trace is every recorded sample.
 */
final class VoltageTraces {

  private final int[] neurons;
  private final SpikeRaster columns;

  /** Per neuron and column: the times in ms and voltages in mV of the four kept samples. */
  private final double[][] firstT;

  private final float[][] firstV;
  private final double[][] lastT;
  private final float[][] lastV;
  private final double[][] minT;
  private final float[][] minV;
  private final double[][] maxT;
  private final float[][] maxV;

  /**
   * @param neurons the ascending flat indices whose traces to keep
   * @param columns the raster whose columns the traces share
   */
  VoltageTraces(int[] neurons, SpikeRaster columns) {
    this.neurons = neurons.clone();
    this.columns = columns;
    int k = neurons.length;
    int n = columns.columns();
    firstT = new double[k][n];
    firstV = new float[k][n];
    lastT = new double[k][n];
    lastV = new float[k][n];
    minT = new double[k][n];
    minV = new float[k][n];
    maxT = new double[k][n];
    maxV = new float[k][n];
    for (int i = 0; i < k; i++) {
      // NaN times mark an empty column
      Arrays.fill(firstT[i], Double.NaN);
      Arrays.fill(lastT[i], Double.NaN);
      Arrays.fill(minT[i], Double.NaN);
      Arrays.fill(maxT[i], Double.NaN);
    }
  }

  /**
   * @return the ascending flat indices whose traces are kept
   */
  int[] neurons() {
    return neurons.clone();
  }

  /**
   * Adds one record's voltages.
   *
   * @param step the record's step
   * @param t the step's start in ms
   * @param voltages the voltages in mV of {@link #neurons}, in that order
   */
  void add(long step, double t, float[] voltages) {
    int c = columns.columnOf(step);
    for (int i = 0; i < neurons.length; i++) {
      float v = voltages[i];
      if (Double.isNaN(firstT[i][c])) {
        firstT[i][c] = lastT[i][c] = minT[i][c] = maxT[i][c] = t;
        firstV[i][c] = lastV[i][c] = minV[i][c] = maxV[i][c] = v;
        continue;
      }
      // records arrive in any order across part files: first and last are by time
      if (t < firstT[i][c]) {
        firstT[i][c] = t;
        firstV[i][c] = v;
      }
      if (t > lastT[i][c]) {
        lastT[i][c] = t;
        lastV[i][c] = v;
      }
      if (v < minV[i][c]) {
        minT[i][c] = t;
        minV[i][c] = v;
      }
      if (v > maxV[i][c]) {
        maxT[i][c] = t;
        maxV[i][c] = v;
      }
    }
  }

  /**
   * Adds the samples another reader kept for the same neurons and columns.
   *
   * @param other traces filled from other part files
   */
  void merge(VoltageTraces other) {
    for (int i = 0; i < neurons.length; i++) {
      for (int c = 0; c < columns.columns(); c++) {
        if (Double.isNaN(other.firstT[i][c])) {
          continue;
        }
        if (Double.isNaN(firstT[i][c]) || other.firstT[i][c] < firstT[i][c]) {
          firstT[i][c] = other.firstT[i][c];
          firstV[i][c] = other.firstV[i][c];
        }
        if (Double.isNaN(lastT[i][c]) || other.lastT[i][c] > lastT[i][c]) {
          lastT[i][c] = other.lastT[i][c];
          lastV[i][c] = other.lastV[i][c];
        }
        if (Double.isNaN(minT[i][c]) || other.minV[i][c] < minV[i][c]) {
          minT[i][c] = other.minT[i][c];
          minV[i][c] = other.minV[i][c];
        }
        if (Double.isNaN(maxT[i][c]) || other.maxV[i][c] > maxV[i][c]) {
          maxT[i][c] = other.maxT[i][c];
          maxV[i][c] = other.maxV[i][c];
        }
      }
    }
  }

  /**
   * @param i the position of a neuron in {@link #neurons}
   * @return its kept samples in time order, {@code {t[] in ms, v[] in mV}}
   */
  double[][] trace(int i) {
    int n = columns.columns();
    double[] t = new double[4 * n];
    double[] v = new double[4 * n];
    int size = 0;
    double[] sampleT = new double[4];
    double[] sampleV = new double[4];
    for (int c = 0; c < n; c++) {
      if (Double.isNaN(firstT[i][c])) {
        continue;
      }
      sampleT[0] = firstT[i][c];
      sampleV[0] = firstV[i][c];
      sampleT[1] = minT[i][c];
      sampleV[1] = minV[i][c];
      sampleT[2] = maxT[i][c];
      sampleV[2] = maxV[i][c];
      sampleT[3] = lastT[i][c];
      sampleV[3] = lastV[i][c];
      // insertion sort by time, then one point per distinct sample time
      for (int a = 1; a < 4; a++) {
        for (int b = a; b > 0 && sampleT[b] < sampleT[b - 1]; b--) {
          double swapT = sampleT[b];
          sampleT[b] = sampleT[b - 1];
          sampleT[b - 1] = swapT;
          double swapV = sampleV[b];
          sampleV[b] = sampleV[b - 1];
          sampleV[b - 1] = swapV;
        }
      }
      for (int a = 0; a < 4; a++) {
        if (a == 0 || sampleT[a] != sampleT[a - 1]) {
          t[size] = sampleT[a];
          v[size] = sampleV[a];
          size++;
        }
      }
    }
    return new double[][] {Arrays.copyOf(t, size), Arrays.copyOf(v, size)};
  }
}
