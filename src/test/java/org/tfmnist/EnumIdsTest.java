package org.tfmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tfmnist.model.LearningRateSchedule;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.runtime.Precision;

/** Every named setting is spelled, listed, parsed and refused the same way. */
@Tag("unit")
class EnumIdsTest {
  @Test
  void anIdIsTheNameInLowerCaseAndTheListKeepsDeclarationOrder() {
    assertEquals("bfloat16", EnumIds.id(Precision.BFLOAT16));
    assertEquals("float32, bfloat16", EnumIds.ids(Precision.class));
    assertEquals("sgd, adam", OptimizerKind.ids());
    assertEquals("constant, cosine", LearningRateSchedule.ids());
  }

  @ParameterizedTest
  @ValueSource(strings = {"adam", "ADAM", " Adam "})
  void parsingTakesAnyCaseAndIgnoresSpaces(String text) {
    assertEquals(OptimizerKind.ADAM, EnumIds.parse(OptimizerKind.class, text));
  }

  @Test
  void anUnknownNameIsRefusedNamingEveryAcceptedOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("float16"));
    assertEquals("must be one of float32, bfloat16, got float16", e.getMessage());
  }
}
