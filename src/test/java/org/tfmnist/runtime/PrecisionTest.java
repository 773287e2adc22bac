package org.tfmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bfloat16 warning: said for bfloat16 only, and only where this CPU lacks it. */
@Tag("unit")
class PrecisionTest {
  @Test
  void float32NeverWarns() {
    assertEquals(Optional.empty(), Precision.FLOAT32.emulationWarning("train"));
  }

  @Test
  void bfloat16WarnsExactlyWhereTheCpuHasNoNativeBfloat16() {
    Optional<String> warning = Precision.BFLOAT16.emulationWarning("serve");

    assertEquals(!Precision.cpuHasBfloat16(), warning.isPresent());
    warning.ifPresent(
        w ->
            assertTrue(
                w.startsWith("warning: ") && w.endsWith("may serve slower than float32"), w));
  }
}
