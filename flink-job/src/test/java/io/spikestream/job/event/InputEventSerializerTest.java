package io.spikestream.job.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Input events between the job's tasks. */
class InputEventSerializerTest {

  private static final long SEED = Long.getLong("spikestream.seed", 20261124L);
  private static final List<String> GROUPS = List.of("retina", "cortex", "", "sehr-groß-µ");

  private final TypeSerializer<InputEvent> serializer =
      new InputEventTypeInfo(GROUPS).createSerializer(new SerializerConfigImpl());

  /**
   * Every field, present or not, empty or not, comes back equal; the group as the job's id, with
   * its index in the job's list.
   */
  @RepeatedTest(50)
  void eventsComeBackEqual(RepetitionInfo repetition) throws IOException {
    Random random = new Random(SEED + repetition.getCurrentRepetition());
    DataOutputSerializer out = new DataOutputSerializer(64);
    InputEvent[] events = new InputEvent[20];
    for (int i = 0; i < events.length; i++) {
      events[i] = randomEvent(random);
      serializer.serialize(events[i], out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    InputEvent reuse = new InputEvent();
    for (int i = 0; i < events.length; i++) {
      InputEvent back = i % 2 == 0 ? serializer.deserialize(in) : serializer.deserialize(reuse, in);
      assertThat(back).isEqualTo(events[i]);
      assertThat(back.group).isSameAs(GROUPS.get(GROUPS.indexOf(events[i].group)));
      assertThat(back.groupIndex).isEqualTo(GROUPS.indexOf(events[i].group));
      InputEvent copy = serializer.copy(back);
      assertThat(copy).isEqualTo(back);
      assertThat(copy.groupIndex).isEqualTo(back.groupIndex);
      if (back.currents != null && back.currents.length > 0) {
        assertThat(copy.currents).isNotSameAs(back.currents);
      }
    }
    assertThat(in.available()).isZero();
  }

  private static InputEvent randomEvent(Random random) {
    InputEvent e = new InputEvent();
    e.group = new String(GROUPS.get(random.nextInt(GROUPS.size()))); // not the job's instance
    e.t = random.nextBoolean() ? random.nextInt(1000) : random.nextDouble() * 1e9;
    e.step = random.nextLong();
    if (random.nextBoolean()) {
      e.currents = random.doubles(random.nextInt(5), -1, 1).toArray();
    }
    if (random.nextBoolean()) {
      e.index = random.ints(random.nextInt(5), 0, 100).toArray();
    }
    if (random.nextBoolean()) {
      e.current = random.doubles(random.nextInt(5), -1, 1).toArray();
    }
    if (random.nextBoolean()) {
      e.override = random.ints(random.nextInt(5), 0, 100).toArray();
    }
    return e;
  }

  @Test
  void anUnknownGroupOrIndexIsAnError() throws IOException {
    InputEvent stranger = new InputEvent();
    stranger.group = "nobody";
    assertThatThrownBy(() -> serializer.serialize(stranger, new DataOutputSerializer(16)))
        .isInstanceOf(IOException.class)
        .hasMessage("group 'nobody' is not one of the job's groups");
    DataOutputSerializer out = new DataOutputSerializer(16);
    out.writeInt(4);
    assertThatThrownBy(
            () -> serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isInstanceOf(IOException.class)
        .hasMessage("group index 4 is out of range [0, 4)");
  }

  @Test
  void theSnapshotRestoresTheSerializerAndOnlyTheSameGroupsAreCompatible() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
    TypeSerializerSnapshot<InputEvent> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(read.restoreSerializer()).isEqualTo(serializer);
    assertThat(
            serializer.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
        .isTrue();
    TypeSerializerSnapshot<InputEvent> other =
        new InputEventSerializer(new String[] {"cortex", "retina"}).snapshotConfiguration();
    assertThat(
            serializer.snapshotConfiguration().resolveSchemaCompatibility(other).isIncompatible())
        .isTrue();
    assertThat(serializer.duplicate()).isEqualTo(serializer).isNotSameAs(serializer);
  }
}
