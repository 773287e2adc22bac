package org.tfmnist.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tfmnist.TfmnistException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** A training command's {@code --tensorboard DIR}. */
final class TensorBoardDir {
  private TensorBoardDir() {}

  /**
   * Makes (or finds) {@code tensorboard} before a run directory is made, so a bad one costs
   * nothing; null: nothing to do.
   */
  static void create(CommandSpec spec, Path tensorboard) throws TfmnistException {
    if (tensorboard == null) {
      return;
    }
    if (Files.exists(tensorboard) && !Files.isDirectory(tensorboard)) {
      throw new ParameterException(
          spec.commandLine(), "--tensorboard " + tensorboard + ": not a directory");
    }
    try {
      Files.createDirectories(tensorboard);
    } catch (IOException e) {
      String reason =
          e instanceof java.nio.file.FileSystemException f && f.getReason() != null
              ? f.getReason()
              : e instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : e instanceof java.nio.file.NoSuchFileException
                      ? "no such file or directory"
                      : e.getClass().getSimpleName();
      throw new TfmnistException(
          tensorboard + ": cannot create the TensorBoard directory: " + reason, e);
    }
  }
}
