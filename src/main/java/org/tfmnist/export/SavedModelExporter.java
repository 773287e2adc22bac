package org.tfmnist.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.ModelGraph;

/**
 * Writes a trained session as a standard SavedModel ({@code saved_model.pb} + {@code variables/})
 * with the {@link ServingSignature} contract and TF Serving's warm-up file ({@link
 * WarmupRequests}). The export goes to a temporary sibling directory ({@code
 * .saved_model.partial-*}) whose files and directories are fsynced before it is renamed into place,
 * so an interrupted export (a kill, a full disk, a power loss) never leaves a directory that looks
 * like a model; a failed export deletes its temporary directory.
 */
public final class SavedModelExporter {
  private SavedModelExporter() {}

  /**
   * Exports {@code session}'s variables and {@code model}'s graph to {@code target}, which must not
   * exist.
   */
  public static void export(Session session, ModelGraph model, Path target)
      throws TfmnistException {
    if (Files.exists(target)) {
      throw new TfmnistException(target + ": already exists; refusing to overwrite a SavedModel");
    }
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      if (Files.exists(parent) && !Files.isDirectory(parent)) {
        throw new TfmnistException(
            target + ": cannot export SavedModel: " + parent + " is not a directory");
      }
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
      SavedModelBundle.exporter(tmp.toString())
          .withTags(ServingSignature.TAG)
          .withSession(session)
          .withSignature(ServingSignature.images(model))
          .withSignature(ServingSignature.pixels(model))
          .export();
      WarmupRequests.write(tmp);
      makeReadable(tmp);
      DurableFiles.fsyncTree(tmp);
      DurableFiles.moveIntoPlace(tmp, target);
      tmp = null;
    } catch (IOException | RuntimeException e) {
      throw new TfmnistException(
          target + ": cannot export SavedModel: " + TfmnistException.firstLine(e.getMessage()), e);
    } finally {
      DurableFiles.deleteTreeQuietly(tmp);
    }
  }

  /**
   * Exports as the next numbered version under {@code base} ({@code BASE/1}, {@code BASE/2}, ...:
   * TF Serving's layout, what {@code serve --model_base_path BASE} polls), creating {@code base} if
   * needed. The export is written to a dot-named temporary directory inside {@code base} (which the
   * server ignores), synced to disk and renamed into place, so a server never sees a half-written
   * version. Returns the new version directory.
   */
  public static Path exportNextVersion(Session session, ModelGraph model, Path base)
      throws TfmnistException {
    try {
      Files.createDirectories(base);
    } catch (IOException e) {
      throw new TfmnistException(
          base + ": cannot create the model base path: " + e.getMessage(), e);
    }
    for (int attempt = 0; ; attempt++) {
      Path target = base.resolve(Long.toString(latestVersion(base) + 1));
      try {
        export(session, model, target);
        return target;
      } catch (TfmnistException e) {
        if (attempt >= 3 || !Files.exists(target)) {
          throw e; // a real failure, not another exporter taking the same number
        }
      }
    }
  }

  /** The highest numbered version directory under {@code base}, or 0. */
  static long latestVersion(Path base) throws TfmnistException {
    try (java.util.stream.Stream<Path> entries = Files.list(base)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("[0-9]{1,18}"))
          .mapToLong(Long::parseLong)
          .max()
          .orElse(0);
    } catch (IOException e) {
      throw new TfmnistException(base + ": cannot list: " + e.getMessage(), e);
    }
  }

  /**
   * {@code createTempDirectory} makes the directory owner-only (700): open it and {@code
   * variables/} to 755 so a serving process under another user can read the model.
   */
  private static void makeReadable(Path dir) throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> rwxrxrx = PosixFilePermissions.fromString("rwxr-xr-x");
    Files.setPosixFilePermissions(dir, rwxrxrx);
    Path variables = dir.resolve("variables");
    if (Files.isDirectory(variables)) {
      Files.setPosixFilePermissions(variables, rwxrxrx);
    }
  }
}
