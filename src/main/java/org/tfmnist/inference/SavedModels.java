package org.tfmnist.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.SavedModelBundle;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.runtime.SessionOptions;

/** Opens a SavedModel directory's {@code serve} meta graph, with one-line errors naming it. */
final class SavedModels {
  private SavedModels() {}

  /** The bundle in {@code dir}, its session configured by {@code options}; the caller closes it. */
  static SavedModelBundle open(Path dir, SessionOptions options) throws TfmnistException {
    if (!Files.isDirectory(dir)) {
      throw new TfmnistException(dir + ": no such directory (expected a SavedModel directory)");
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))
        && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
      throw new TfmnistException(dir + ": not a SavedModel (no saved_model.pb)");
    }
    try {
      return SavedModelBundle.loader(dir.toString())
          .withTags(ServingSignature.TAG)
          .withConfigProto(options.toConfig())
          .load();
    } catch (RuntimeException e) {
      throw new TfmnistException(
          dir + ": cannot load SavedModel: " + TfmnistException.firstLine(e.getMessage()), e);
    }
  }
}
