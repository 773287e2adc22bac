package org.tfmnist.cli;

import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads an option whose value names an enum constant ({@code --optimizer}, {@code --precision}) in
 * its lower-case spelling: a value that names none is a usage error naming the flag (exit 2).
 */
final class NamedOption {
  private NamedOption() {}

  /**
   * The constant {@code text} names through {@code parse} (which throws {@link
   * IllegalArgumentException} with "must be one of ..., got ..."), or a usage error naming {@code
   * flag}.
   */
  static <E> E parse(CommandSpec spec, String flag, String text, Function<String, E> parse) {
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), flag + " " + e.getMessage());
    }
  }
}
