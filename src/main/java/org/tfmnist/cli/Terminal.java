package org.tfmnist.cli;

/** Whether output goes to a person at a terminal (progress bars) or elsewhere (plain lines). */
final class Terminal {
  private Terminal() {}

  /** True when the JVM has a console (stdin and stdout are a terminal) that is not a dumb one. */
  static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }
}
