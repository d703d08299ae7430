package io.spikestream.job.operator;

import io.spikestream.neural.ALIFSnapshot;
import io.spikestream.neural.LIFSnapshot;
import io.spikestream.neural.NeuronSnapshot;
import io.spikestream.neural.NeuronSnapshotSerializer;
import io.spikestream.neural.SpikeSnapshot;
import io.spikestream.neural.SpikeSnapshotSerializer;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;

/**
 * How Flink serializes a group's neurons: through Kryo, with neural-core's {@link
 * NeuronSnapshotSerializer} (the model, its shape, the spikes bit-packed and the float32 state raw)
 * registered for each model's snapshot class.
 */
public final class NeuronStateSerializers {

  private NeuronStateSerializers() {}

  /**
   * Registers neural-core's serializer in a job's serializer config, so that any Kryo use of a
   * snapshot in the job writes it compactly.
   *
   * @param config the job's serializer config
   */
  public static void register(SerializerConfig config) {
    SerializerConfigImpl impl = (SerializerConfigImpl) config;
    impl.registerTypeWithKryoSerializer(SpikeSnapshot.class, NeuronSnapshotSerializer.class);
    impl.registerTypeWithKryoSerializer(LIFSnapshot.class, NeuronSnapshotSerializer.class);
    impl.registerTypeWithKryoSerializer(ALIFSnapshot.class, NeuronSnapshotSerializer.class);
  }

  /**
   * The state serializer of a group's neurons: Kryo with the registrations, whatever the job's
   * config, so the operator's state format does not depend on how the job was wired.
   *
   * @return a new serializer
   */
  public static TypeSerializer<NeuronSnapshot> neuronSnapshotSerializer() {
    SerializerConfigImpl config = new SerializerConfigImpl();
    register(config);
    return new KryoSerializer<>(NeuronSnapshot.class, config);
  }

  /**
   * The serializer of the spike buffers that state written before other models existed holds: Kryo
   * with neural-core's version-1 {@link SpikeSnapshotSerializer} registered for {@link
   * SpikeSnapshot}, exactly as that state was written, so that its serializer snapshot restores.
   *
   * @return a new serializer
   */
  public static TypeSerializer<SpikeSnapshot> legacySpikeSnapshotSerializer() {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.registerTypeWithKryoSerializer(SpikeSnapshot.class, SpikeSnapshotSerializer.class);
    return new KryoSerializer<>(SpikeSnapshot.class, config);
  }
}
