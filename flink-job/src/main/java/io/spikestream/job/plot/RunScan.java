package io.spikestream.job.plot;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The first pass over a run: which groups it has, each group's steps, times and neuron count, and,
 * for the groups to draw, how often each neuron spiked in the chosen steps. Memory: a few numbers
 * per group and one count per neuron of the drawn groups, whatever the number of records.
 */
final class RunScan implements SpikeRecordReader.Handler {

  /** What the scan learned about one group. */
  static final class GroupScan {
    /** The group id. */
    final String id;

    /** Whether the group is drawn, so its neurons' spikes are counted. */
    final boolean drawn;

    /** Records of the group in the whole run. */
    long records;

    /** The first and last step of the whole run, and their start times in ms. */
    long firstStep = Long.MAX_VALUE;

    long lastStep = Long.MIN_VALUE;
    double firstT;
    double lastT;

    /** Values in each record's voltage (the size of the batched shape), or -1 if none has any. */
    int voltageLength = -1;

    /** The highest flat index that spiked anywhere in the run, -1 if none did. */
    int maxSpike = -1;

    /** Records in the chosen steps, and how many of them carry voltages. */
    long selectedRecords;

    long selectedVoltages;

    /** The first and last chosen step that has a record, and their start times in ms. */
    long selectedFirstStep = Long.MAX_VALUE;

    long selectedLastStep = Long.MIN_VALUE;
    double selectedFirstT;
    double selectedLastT;

    /** Spikes in the chosen steps. */
    long selectedSpikes;

    /** Spikes of each flat index in the chosen steps (drawn groups only; may be shorter). */
    int[] spikeCounts = new int[0];

    GroupScan(String id, boolean drawn) {
      this.id = id;
      this.drawn = drawn;
    }

    /**
     * @return the neurons of the batched shape: the voltage length where records carry voltages,
     *     else one more than the highest flat index that spiked (at least 1)
     */
    int neurons() {
      return Math.max(Math.max(voltageLength, maxSpike + 1), 1);
    }

    /**
     * @return the length of a step in ms, from the first and last step of the run; 1 ms if the
     *     group has a single step, which leaves it unknown, or if its times do not grow with its
     *     steps
     */
    double stepTime() {
      double stepTime = lastStep > firstStep ? (lastT - firstT) / (lastStep - firstStep) : 1.0;
      return stepTime > 0 && Double.isFinite(stepTime) ? stepTime : 1.0;
    }

    /**
     * @param index a flat index
     * @return how often it spiked in the chosen steps
     */
    int spikesOf(int index) {
      return index < spikeCounts.length ? spikeCounts[index] : 0;
    }

    /**
     * Adds what another scan of other part files learned about the same group.
     *
     * @param other the other scan's group
     * @throws SpikeRecordReader.BadRecord if their records' voltages differ in length
     */
    void merge(GroupScan other) throws SpikeRecordReader.BadRecord {
      if (other.voltageLength >= 0) {
        if (voltageLength >= 0 && other.voltageLength != voltageLength) {
          throw new SpikeRecordReader.BadRecord(
              "records of group '"
                  + id
                  + "' in different part files have 'voltage' of "
                  + voltageLength
                  + " and of "
                  + other.voltageLength
                  + " values");
        }
        voltageLength = other.voltageLength;
      }
      maxSpike = Math.max(maxSpike, other.maxSpike);
      records += other.records;
      if (other.firstStep < firstStep) {
        firstStep = other.firstStep;
        firstT = other.firstT;
      }
      if (other.lastStep > lastStep) {
        lastStep = other.lastStep;
        lastT = other.lastT;
      }
      selectedRecords += other.selectedRecords;
      selectedVoltages += other.selectedVoltages;
      if (other.selectedFirstStep < selectedFirstStep) {
        selectedFirstStep = other.selectedFirstStep;
        selectedFirstT = other.selectedFirstT;
      }
      if (other.selectedLastStep > selectedLastStep) {
        selectedLastStep = other.selectedLastStep;
        selectedLastT = other.selectedLastT;
      }
      selectedSpikes += other.selectedSpikes;
      if (other.spikeCounts.length > spikeCounts.length) {
        spikeCounts = Arrays.copyOf(spikeCounts, other.spikeCounts.length);
      }
      for (int i = 0; i < other.spikeCounts.length; i++) {
        spikeCounts[i] += other.spikeCounts[i];
      }
    }

    void add(SpikeRecordReader.Record record, boolean selected) throws SpikeRecordReader.BadRecord {
      if (record.voltageCount >= 0) {
        if (voltageLength >= 0 && record.voltageCount != voltageLength) {
          throw new SpikeRecordReader.BadRecord(
              "'voltage' has "
                  + record.voltageCount
                  + " values, earlier records of group '"
                  + id
                  + "' have "
                  + voltageLength);
        }
        voltageLength = record.voltageCount;
      }
      int[] spikes = record.spikes;
      int n = record.spikeCount;
      for (int i = 0; i < n; i++) {
        if (record.voltageCount >= 0 && spikes[i] >= record.voltageCount) {
          throw new SpikeRecordReader.BadRecord(
              "'spikes' index "
                  + spikes[i]
                  + " is out of range [0, "
                  + record.voltageCount
                  + ") of its 'voltage'");
        }
        maxSpike = Math.max(maxSpike, spikes[i]);
      }
      records++;
      if (record.step < firstStep) {
        firstStep = record.step;
        firstT = record.t;
      }
      if (record.step > lastStep) {
        lastStep = record.step;
        lastT = record.t;
      }
      if (!selected) {
        return;
      }
      selectedRecords++;
      if (record.voltageCount >= 0) {
        selectedVoltages++;
      }
      if (record.step < selectedFirstStep) {
        selectedFirstStep = record.step;
        selectedFirstT = record.t;
      }
      if (record.step > selectedLastStep) {
        selectedLastStep = record.step;
        selectedLastT = record.t;
      }
      selectedSpikes += n;
      if (drawn) {
        for (int i = 0; i < n; i++) {
          int index = spikes[i];
          if (index >= spikeCounts.length) {
            spikeCounts = Arrays.copyOf(spikeCounts, Math.max(index + 1, 2 * spikeCounts.length));
          }
          spikeCounts[index]++;
        }
      }
    }
  }

  private final StepRange steps;
  private final String onlyGroup;
  private final Map<String, GroupScan> groups = new TreeMap<>();

  /** The group of the previous record: records of one group often follow each other. */
  private GroupScan previous;

  /**
   * @param steps the chosen steps
   * @param onlyGroup the one group to draw, or null for all
   */
  RunScan(StepRange steps, String onlyGroup) {
    this.steps = steps;
    this.onlyGroup = onlyGroup;
  }

  /**
   * @return every group of the run by id, in id order
   */
  Map<String, GroupScan> groups() {
    return groups;
  }

  /**
   * Adds what a scan of other part files learned.
   *
   * @param other a scan with the same steps and group
   * @throws PlotException if the two disagree on a group's voltage length
   */
  void merge(RunScan other) throws PlotException {
    for (GroupScan group : other.groups.values()) {
      GroupScan mine = groups.get(group.id);
      if (mine == null) {
        groups.put(group.id, group);
      } else {
        try {
          mine.merge(group);
        } catch (SpikeRecordReader.BadRecord e) {
          throw new PlotException(e.getMessage());
        }
      }
    }
    previous = null;
  }

  @Override
  public int[] voltagesOf(String group) {
    return null; // the first pass only counts voltages
  }

  @Override
  public void accept(SpikeRecordReader.Record record) throws SpikeRecordReader.BadRecord {
    GroupScan group = previous;
    if (group == null || !group.id.equals(record.group)) {
      group =
          groups.computeIfAbsent(
              record.group, id -> new GroupScan(id, onlyGroup == null || onlyGroup.equals(id)));
      previous = group;
    }
    group.add(record, steps.contains(record.step));
  }
}
