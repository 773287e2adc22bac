package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tfmnist.serving.VersionStatus;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;

/** Each version state maps onto TF Serving's proto state of the same name (never UNKNOWN). */
@Tag("unit")
class ModelServiceStatesTest {
  @ParameterizedTest
  @EnumSource(VersionStatus.State.class)
  void eachStateIsTheProtosOfTheSameName(VersionStatus.State state) {
    assertEquals(ModelVersionStatus.State.valueOf(state.name()), ModelServiceImpl.state(state));
  }
}
