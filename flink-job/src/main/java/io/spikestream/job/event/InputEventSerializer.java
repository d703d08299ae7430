package io.spikestream.job.event;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes {@link InputEvent}s between the job's tasks, the group as its index in the job's list
 * of groups.
 *
 * <p>Why not Flink's POJO serializer: for an event of one sparse current it cost more than the rest
 * of the event's handling on the receiving task, by reflection and by a new group-id string per
 * event that the keyed operator then hashed and compared. Here a received event's group is the
 * job's own id string (hash computed once, equal by identity), and fields are written directly. The
 * events never go into state, and the job keeps unaligned checkpoints (which would store events in
 * flight) off: the format only has to match between the tasks of one job, which share the group
 * list.
 */
public final class InputEventSerializer extends TypeSerializer<InputEvent> {

  private static final long serialVersionUID = 1L;

  private static final int CURRENTS = 1;
  private static final int INDEX = 2;
  private static final int CURRENT = 4;
  private static final int OVERRIDE = 8;
  private static final int COUNT = 16;

  private final String[] groupIds;
  private transient Map<String, Integer> indexOf;

  /**
   * @param groupIds the job's group ids, in the order every task of the job uses
   */
  public InputEventSerializer(String[] groupIds) {
    this.groupIds = groupIds.clone();
  }

  private Map<String, Integer> indexOf() {
    if (indexOf == null) {
      Map<String, Integer> map = new HashMap<>();
      for (int i = 0; i < groupIds.length; i++) {
        map.put(groupIds[i], i);
      }
      indexOf = map;
    }
    return indexOf;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<InputEvent> duplicate() {
    return new InputEventSerializer(groupIds); // its own lazily built index map
  }

  @Override
  public InputEvent createInstance() {
    return new InputEvent();
  }

  @Override
  public InputEvent copy(InputEvent from) {
    InputEvent copy = new InputEvent();
    copy.group = from.group;
    copy.t = from.t;
    copy.step = from.step;
    copy.currents = from.currents == null ? null : from.currents.clone();
    copy.index = from.index == null ? null : from.index.clone();
    copy.current = from.current == null ? null : from.current.clone();
    copy.override = from.override == null ? null : from.override.clone();
    copy.count = from.count;
    copy.groupIndex = from.groupIndex;
    return copy;
  }

  @Override
  public InputEvent copy(InputEvent from, InputEvent reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(InputEvent event, DataOutputView out) throws IOException {
    Integer group = indexOf().get(event.group);
    if (group == null) {
      throw new IOException("group '" + event.group + "' is not one of the job's groups");
    }
    out.writeInt(group);
    out.writeDouble(event.t);
    out.writeLong(event.step);
    out.writeByte(
        (event.currents == null ? 0 : CURRENTS)
            | (event.index == null ? 0 : INDEX)
            | (event.current == null ? 0 : CURRENT)
            | (event.override == null ? 0 : OVERRIDE)
            | (event.count == 1 ? 0 : COUNT));
    if (event.currents != null) {
      writeDoubles(event.currents, out);
    }
    if (event.index != null) {
      writeInts(event.index, out);
    }
    if (event.current != null) {
      writeDoubles(event.current, out);
    }
    if (event.override != null) {
      writeInts(event.override, out);
    }
    if (event.count != 1) {
      out.writeInt(event.count);
    }
  }

  @Override
  public InputEvent deserialize(DataInputView in) throws IOException {
    return deserialize(new InputEvent(), in);
  }

  @Override
  public InputEvent deserialize(InputEvent reuse, DataInputView in) throws IOException {
    int group = in.readInt();
    if (group < 0 || group >= groupIds.length) {
      throw new IOException(
          "group index " + group + " is out of range [0, " + groupIds.length + ")");
    }
    reuse.group = groupIds[group];
    reuse.groupIndex = group;
    reuse.t = in.readDouble();
    reuse.step = in.readLong();
    int fields = in.readByte();
    reuse.currents = (fields & CURRENTS) != 0 ? readDoubles(in) : null;
    reuse.index = (fields & INDEX) != 0 ? readInts(in) : null;
    reuse.current = (fields & CURRENT) != 0 ? readDoubles(in) : null;
    reuse.override = (fields & OVERRIDE) != 0 ? readInts(in) : null;
    reuse.count = (fields & COUNT) != 0 ? in.readInt() : 1;
    return reuse;
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  private static void writeDoubles(double[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    for (double value : values) {
      out.writeDouble(value);
    }
  }

  private static void writeInts(int[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    for (int value : values) {
      out.writeInt(value);
    }
  }

  private static double[] readDoubles(DataInputView in) throws IOException {
    double[] values = new double[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }

  private static int[] readInts(DataInputView in) throws IOException {
    int[] values = new int[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readInt();
    }
    return values;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InputEventSerializer that && Arrays.equals(groupIds, that.groupIds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(groupIds);
  }

  @Override
  public TypeSerializerSnapshot<InputEvent> snapshotConfiguration() {
    return new Snapshot(groupIds);
  }

  /** The serializer's configuration, the group list, for Flink's compatibility checks. */
  public static final class Snapshot implements TypeSerializerSnapshot<InputEvent> {
    private String[] groupIds;

    /** For Flink, which reads the group list with {@link #readSnapshot}. */
    public Snapshot() {}

    Snapshot(String[] groupIds) {
      this.groupIds = groupIds;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeInt(groupIds.length);
      for (String id : groupIds) {
        out.writeUTF(id);
      }
    }

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
        throws IOException {
      if (version != 1) {
        throw new IOException(
            "InputEventSerializer snapshot version " + version + " is not supported (only 1)");
      }
      groupIds = new String[in.readInt()];
      for (int i = 0; i < groupIds.length; i++) {
        groupIds[i] = in.readUTF();
      }
    }

    @Override
    public TypeSerializer<InputEvent> restoreSerializer() {
      return new InputEventSerializer(groupIds);
    }

    @Override
    public TypeSerializerSchemaCompatibility<InputEvent> resolveSchemaCompatibility(
        TypeSerializerSnapshot<InputEvent> oldSnapshot) {
      // the group index is the format: only the same group list reads the same bytes
      return oldSnapshot instanceof Snapshot old && Arrays.equals(old.groupIds, groupIds)
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
