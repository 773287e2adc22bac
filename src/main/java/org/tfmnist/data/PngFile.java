package org.tfmnist.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.tfmnist.TfmnistException;

/**
 * Writes a PNG the safe way: into a temporary file beside the target, renamed into place once
 * complete, so a reader (or a crash) never sees half a picture.
 */
public final class PngFile {
  private PngFile() {}

  public static void write(BufferedImage image, Path file) throws TfmnistException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new TfmnistException(file + ": cannot write: no such directory " + dir);
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot write: " + TfmnistException.firstLine(e.getMessage()), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the rename already happened, or the write failed and says so
        }
      }
    }
  }
}
