package org.tfmnist.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tfmnist.EnumIds;

/**
 * The arithmetic a training session runs in: {@link #FLOAT32} throughout (the tutorials), or {@link
 * #BFLOAT16} mixed precision, where grappler's oneDNN pass ({@code
 * auto_mixed_precision_onednn_bfloat16}) runs convolutions, matrix products and their gradients in
 * bfloat16 while the variables, the loss and the optimiser's updates stay float32. The graph
 * itself, and so the exported SavedModel, is float32 either way.
 */
public enum Precision {
  /** float32 throughout: the tutorials. */
  FLOAT32,
  /** bfloat16 mixed precision: matrix products in bfloat16, variables and updates in float32. */
  BFLOAT16;

  /** {@code /proc/cpuinfo} flags of CPUs that compute bfloat16 natively (AVX512-BF16, AMX). */
  private static final Set<String> NATIVE_BFLOAT16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

  /** The name as written on the command line and in {@code run.properties} ("float32", ...). */
  public String id() {
    return EnumIds.id(this);
  }

  @Override
  public String toString() {
    return id();
  }

  /** The spellings accepted, comma separated. */
  public static String ids() {
    return EnumIds.ids(Precision.class);
  }

  /**
   * The precision {@code text} names, in any case.
   *
   * @throws IllegalArgumentException naming the accepted spellings when it names none
   */
  public static Precision parse(String text) {
    return EnumIds.parse(Precision.class, text);
  }

  /**
   * Whether this CPU computes bfloat16 in hardware (false where {@code /proc/cpuinfo} cannot tell).
   */
  public static boolean cpuHasBfloat16() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("flags"))
          .findFirst()
          .map(
              l ->
                  List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).stream()
                      .anyMatch(NATIVE_BFLOAT16_FLAGS::contains))
          .orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The one-line warning for bfloat16 on a CPU that has to emulate it ({@code work}: what may be
   * slower, "train" or "serve"); empty for float32 or where bfloat16 is native.
   */
  public Optional<String> emulationWarning(String work) {
    if (this != BFLOAT16 || cpuHasBfloat16()) {
      return Optional.empty();
    }
    return Optional.of(
        "warning: this CPU has no native bfloat16 (no avx512_bf16 or amx_bf16 in /proc/cpuinfo):"
            + " precision bfloat16 is emulated here and may "
            + work
            + " slower than float32");
  }

  /** The fastest precision here: bfloat16 where the CPU has it natively, float32 elsewhere. */
  public static Precision fastest() {
    return cpuHasBfloat16() ? BFLOAT16 : FLOAT32;
  }
}
