package io.spikestream.job.operator;

import io.spikestream.neural.SpikeSnapshot;
import io.spikestream.neural.SpikeSnapshotSerializer;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;

/**
 * How Flink serializes a group's spike buffer: through Kryo, with neural-core's bit-packed {@link
 * SpikeSnapshotSerializer} registered for {@link SpikeSnapshot}.
 */
public final class SpikeStateSerializers {

  private SpikeStateSerializers() {}

  /**
   * Registers neural-core's serializer in a job's serializer config, so that any Kryo use of a
   * snapshot in the job writes it bit-packed.
   *
   * @param config the job's serializer config
   */
  public static void register(SerializerConfig config) {
    ((SerializerConfigImpl) config)
        .registerTypeWithKryoSerializer(SpikeSnapshot.class, SpikeSnapshotSerializer.class);
  }

  /**
   * The state serializer of the spike buffer: Kryo with the registration, whatever the job's
   * config, so the operator's state format does not depend on how the job was wired.
   *
   * @return a new serializer
   */
  public static TypeSerializer<SpikeSnapshot> spikeSnapshotSerializer() {
    SerializerConfigImpl config = new SerializerConfigImpl();
    register(config);
    return new KryoSerializer<>(SpikeSnapshot.class, config);
  }
}
