package org.tfmnist.cli;

import picocli.CommandLine.Option;

/** {@code --debug}, shared by every command: {@link ErrorHandler} then prints stack traces. */
final class DebugOption {
  @Option(names = "--debug", description = "Show stack traces of errors.")
  boolean enabled;
}
