package org.tfmnist.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A boolean flag's value as TensorFlow's flag parser reads it: {@code true}, {@code false}, {@code
 * 1} or {@code 0}. With {@code arity = "0..1"} and {@code fallbackValue = "true"}, TF Serving's
 * {@code --flag}, {@code --flag=true} and {@code --flag=false} all work.
 */
final class TfBoolean implements ITypeConverter<Boolean> {
  @Override
  public Boolean convert(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw new TypeConversionException("expected true or false, got '" + value + "'");
    };
  }
}
