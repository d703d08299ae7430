package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VoltageTracesTest {

  @Test
  void everySampleIsKeptWhereAColumnIsOneStep() {
    SpikeRaster columns = new SpikeRaster(0, 9, 1.0, 4, 100, 100);
    VoltageTraces traces = new VoltageTraces(new int[] {1, 3}, columns);
    // in any order, as records come from several part files
    traces.add(2, 2.0, new float[] {-60f, -50f});
    traces.add(0, 0.0, new float[] {-65f, -64f});
    traces.add(1, 1.0, new float[] {-62f, -63f});
    assertThat(traces.neurons()).containsExactly(1, 3);
    assertThat(traces.trace(0)[0]).containsExactly(0.0, 1.0, 2.0);
    assertThat(traces.trace(0)[1]).containsExactly(-65.0, -62.0, -60.0);
    assertThat(traces.trace(1)[1]).containsExactly(-64.0, -63.0, -50.0);
  }

  @Test
  void aColumnOfManyStepsKeepsItsFirstLowestHighestAndLast() {
    // 100 steps into 10 columns of 10
    SpikeRaster columns = new SpikeRaster(0, 99, 1.0, 1, 10, 10);
    VoltageTraces traces = new VoltageTraces(new int[] {0}, columns);
    float[] v = {-65f, -70f, -60f, -55f, -50f, -66f, -64f, -63f, -62f, -61f};
    for (int step = 9; step >= 0; step--) { // backwards: first and last are by time
      traces.add(step, step, new float[] {v[step]});
    }
    traces.add(10, 10, new float[] {-40f}); // the next column
    double[][] trace = traces.trace(0);
    // first (step 0), lowest (step 1), highest (step 4), last (step 9), then column 1's one
    assertThat(trace[0]).containsExactly(0.0, 1.0, 4.0, 9.0, 10.0);
    assertThat(trace[1]).containsExactly(-65.0, -70.0, -50.0, -61.0, -40.0);
  }

  @Test
  void aSampleThatIsBothFirstAndLowestIsOnePoint() {
    SpikeRaster columns = new SpikeRaster(0, 99, 1.0, 1, 10, 10);
    VoltageTraces traces = new VoltageTraces(new int[] {0}, columns);
    traces.add(0, 0, new float[] {-70f});
    traces.add(5, 5, new float[] {-50f});
    double[][] trace = traces.trace(0);
    assertThat(trace[0]).containsExactly(0.0, 5.0);
    assertThat(trace[1]).containsExactly(-70.0, -50.0);
  }

  @Test
  void mergedTracesKeepTheFirstLowestHighestAndLastOfBoth() {
    SpikeRaster columns = new SpikeRaster(0, 99, 1.0, 1, 10, 10);
    VoltageTraces one = new VoltageTraces(new int[] {0}, columns);
    VoltageTraces two = new VoltageTraces(new int[] {0}, columns);
    one.add(2, 2, new float[] {-60f});
    one.add(5, 5, new float[] {-66f});
    two.add(1, 1, new float[] {-62f}); // earlier than one's first
    two.add(7, 7, new float[] {-40f}); // higher than one's highest, and later
    two.add(30, 30, new float[] {-65f}); // a column one has not seen
    one.merge(two);
    double[][] trace = one.trace(0);
    assertThat(trace[0]).containsExactly(1.0, 5.0, 7.0, 30.0);
    assertThat(trace[1]).containsExactly(-62.0, -66.0, -40.0, -65.0);
  }
}
