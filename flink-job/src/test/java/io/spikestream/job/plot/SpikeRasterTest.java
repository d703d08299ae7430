package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpikeRasterTest {

  @Test
  void fewStepsAndNeuronsAreDrawnExactly() {
    // steps 100 to 109 at t = 3 + 0.25 k ms, 8 neurons, room for 50 x 40 cells
    SpikeRaster raster = new SpikeRaster(100, 109, 0.25, 8, 50, 40);
    assertThat(raster.stepsPerColumn()).isEqualTo(1);
    assertThat(raster.neuronsPerRow()).isEqualTo(1);
    raster.add(104, 3 + 0.25 * 104, new int[] {7, 2, 99}, 2); // the count limits the spikes
    raster.add(100, 3 + 0.25 * 100, new int[] {7}, 1);
    raster.add(104, 3 + 0.25 * 104, new int[] {2}, 1); // the same cell again
    assertThat(raster.marks()).isEqualTo(3);
    SpikeRaster.Marks marks = raster.marksAsPoints();
    assertThat(marks.x()).containsExactly(28.0, 29.0, 29.0); // each step's own start
    assertThat(marks.y()).containsExactly(7.0, 2.0, 7.0);
    assertThat(marks.density()).containsExactly(0.5f, 1f, 0.5f); // (104, 2) twice
  }

  @Test
  void moreStepsAndNeuronsThanCellsShareCells() {
    // 1000 steps of 1 ms into 100 columns (10 steps each), 300 neurons into 64 rows (5 each)
    SpikeRaster raster = new SpikeRaster(0, 999, 1.0, 300, 100, 64);
    assertThat(raster.stepsPerColumn()).isEqualTo(10);
    assertThat(raster.neuronsPerRow()).isEqualTo(5);
    assertThat(raster.columns()).isEqualTo(100);
    raster.add(13, 13.0, new int[] {0, 4, 5}, 3); // column 1; rows 0 (0 and 4) and 1 (5)
    raster.add(19, 19.0, new int[] {3}, 1); // column 1, row 0 again
    raster.add(999, 999.0, new int[] {299}, 1); // the last cell
    assertThat(raster.marks()).isEqualTo(3);
    SpikeRaster.Marks marks = raster.marksAsPoints();
    // a column's mark at the start of its middle step, 14.5 ms for steps 10 to 19, and a row's
    // at its middle index
    assertThat(marks.x()).containsExactly(14.5, 14.5, 994.5);
    assertThat(marks.y()).containsExactly(2.0, 7.0, 297.0);
    assertThat(marks.density()).containsExactly(1f, 1f / 3, 1f / 3); // row 0 of column 1: 3
  }

  @Test
  void theLastColumnsMarksSitInItsOwnSteps() {
    SpikeRaster raster = new SpikeRaster(0, 24, 1.0, 1, 3, 1);
    assertThat(raster.stepsPerColumn()).isEqualTo(9);
    raster.add(24, 24.0, new int[] {0}, 1);
    // 25 steps into at most 3 columns: 9 steps each, the last holds steps 18 to 24, middle 21
    assertThat(raster.marksAsPoints().x()).containsExactly(21.0);
  }

  @Test
  void mergedRastersHoldBothsCounts() {
    SpikeRaster one = new SpikeRaster(0, 99, 1.0, 10, 10, 5);
    SpikeRaster two = one.emptyCopy();
    one.add(5, 5.0, new int[] {0, 9}, 2);
    two.add(3, 3.0, new int[] {1}, 1); // the same cell as neuron 0 of step 5: column 0, row 0
    two.add(50, 50.0, new int[] {4}, 1);
    one.merge(two);
    assertThat(one.marks()).isEqualTo(3);
    SpikeRaster.Marks marks = one.marksAsPoints();
    assertThat(marks.x()).containsExactly(4.5, 4.5, 54.5);
    assertThat(marks.y()).containsExactly(0.5, 8.5, 4.5);
    assertThat(marks.density()).containsExactly(1f, 0.5f, 0.5f);
  }

  /** Whatever the spikes, the marks stay within the grid: memory bounded by cells, not spikes. */
  @Test
  void marksNeverExceedTheCells() {
    long seed = 20240611L;
    System.out.println("SpikeRasterTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    SpikeRaster raster = new SpikeRaster(0, 99_999, 0.1, 5_000, 300, 200);
    int[] spikes = new int[50];
    for (int record = 0; record < 20_000; record++) {
      long step = random.nextLong(100_000);
      for (int i = 0; i < spikes.length; i++) {
        spikes[i] = random.nextInt(5_000);
      }
      raster.add(step, step * 0.1, spikes, spikes.length);
    }
    assertThat(raster.columns()).isLessThanOrEqualTo(300);
    assertThat(raster.marks()).isLessThanOrEqualTo(300 * 200).isGreaterThan(300 * 200 / 2);
    SpikeRaster.Marks marks = raster.marksAsPoints();
    assertThat(Arrays.stream(marks.x())).allMatch(x -> x >= 0 && x < 10_000);
    assertThat(Arrays.stream(marks.y())).allMatch(y -> y >= 0 && y < 5_000);
  }
}
