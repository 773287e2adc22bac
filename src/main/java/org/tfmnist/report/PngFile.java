package org.tfmnist.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;

/**
 * Writes a PNG the safe way: into a temporary file beside the target, fsynced and renamed into
 * place once complete ({@link DurableFiles}), so a reader (or a crash) never sees half a picture.
 */
public final class PngFile {
  private PngFile() {}

  public static void write(BufferedImage image, Path file) throws TfmnistException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new TfmnistException(file + ": cannot write: no such directory " + dir);
    }
    try {
      DurableFiles.write(
          file,
          out -> {
            if (!ImageIO.write(image, "png", out)) {
              throw new IOException("no PNG writer");
            }
          });
    } catch (IOException e) {
      throw new TfmnistException(
          file + ": cannot write: " + TfmnistException.firstLine(rootMessage(e)), e);
    }
  }

  /** ImageIO wraps the stream's error ("No space left on device") in its own: name the real one. */
  private static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null) {
        message = cause.getMessage();
      }
    }
    return message;
  }
}
