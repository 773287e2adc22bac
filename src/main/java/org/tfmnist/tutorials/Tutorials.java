package org.tfmnist.tutorials;

/** What the tutorial mains share: each is one {@code tfmnist} subcommand. */
final class Tutorials {
  private Tutorials() {}

  /** {@code command} followed by {@code args}. */
  static String[] withCommand(String command, String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }
}
