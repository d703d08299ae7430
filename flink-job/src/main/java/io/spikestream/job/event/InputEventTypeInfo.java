package io.spikestream.job.event;

import java.util.Arrays;
import java.util.Collection;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the job's input events between its tasks: serialized by {@link InputEventSerializer}.
 */
public final class InputEventTypeInfo extends TypeInformation<InputEvent> {

  private static final long serialVersionUID = 1L;

  private final String[] groupIds;

  /**
   * @param groupIds the job's group ids; the order is the wire format, so every task of a job must
   *     be given the same (the job's groups file order)
   */
  public InputEventTypeInfo(Collection<String> groupIds) {
    this.groupIds = groupIds.toArray(String[]::new);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<InputEvent> getTypeClass() {
    return InputEvent.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<InputEvent> createSerializer(SerializerConfig config) {
    return new InputEventSerializer(groupIds);
  }

  @Override
  public String toString() {
    return "InputEvent(" + groupIds.length + " groups)";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InputEventTypeInfo that && Arrays.equals(groupIds, that.groupIds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(groupIds);
  }

  @Override
  public boolean canEqual(Object other) {
    return other instanceof InputEventTypeInfo;
  }
}
