package io.spikestream.job;

import io.spikestream.job.config.GroupConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named groups shared by the job's tests. */
public final class Fixtures {

  private Fixtures() {}

  /** A 2x3 group, batch 1, 1 ms steps from t0 = 0: 6 neurons. */
  public static final GroupConfig SMALL =
      new GroupConfig("small", "exact", new long[] {2, 3}, 1, 1.0, -65.0, -50.0, 0.0);

  /** A group of 4 neurons in a batch of 2 (8 in all), 0.25 ms steps from t0 = 10 ms. */
  public static final GroupConfig FAST =
      new GroupConfig("fast", "exact", new long[] {4}, 2, 0.25, -70.0, -55.0, 10.0);

  /** Both groups by id. */
  public static Map<String, GroupConfig> groups() {
    Map<String, GroupConfig> groups = new LinkedHashMap<>();
    groups.put(SMALL.id(), SMALL);
    groups.put(FAST.id(), FAST);
    return groups;
  }
}
