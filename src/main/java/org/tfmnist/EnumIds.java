package org.tfmnist;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spelling of an enum constant on the command line and in files: its name in lower case ({@code
 * BFLOAT16} is "bfloat16"). One place for the id, the list of ids an error names, and the parse
 * that accepts any case, so every named setting reads and fails the same way.
 */
public final class EnumIds {
  private EnumIds() {}

  /** The constant's id: its name in lower case. */
  public static String id(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The ids of every constant of {@code type}, in declaration order, comma separated. */
  public static <E extends Enum<E>> String ids(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(EnumIds::id)
        .collect(Collectors.joining(", "));
  }

  /**
   * The constant of {@code type} whose id is {@code text}, in any case, spaces around ignored.
   *
   * @throws IllegalArgumentException "must be one of a, b, got x" when none is
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (id(constant).equals(wanted)) {
        return constant;
      }
    }
    throw new IllegalArgumentException("must be one of " + ids(type) + ", got " + text);
  }
}
