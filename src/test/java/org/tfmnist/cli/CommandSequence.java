package org.tfmnist.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper, run as a child JVM's main: runs several CLI command lines, separated by {@code ::},
 * one after another in one JVM (TensorFlow starts once), and exits with the first non-zero exit
 * code, or 0. Each command is announced on a line {@code >>> COMMAND LINE}.
 */
public final class CommandSequence {
  static final String SEPARATOR = "::";

  private CommandSequence() {}

  public static void main(String[] args) {
    List<String> line = new ArrayList<>();
    for (String arg : Arrays.copyOf(args, args.length + 1)) {
      if (arg != null && !arg.equals(SEPARATOR)) {
        line.add(arg);
        continue;
      }
      System.out.println(">>> " + String.join(" ", line));
      int code = Main.run(line.toArray(String[]::new));
      if (code != 0) {
        System.out.println(">>> exit " + code);
        System.exit(code);
      }
      line.clear();
    }
    System.exit(0);
  }
}
