package org.tfmnist.serving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import org.tensorflow.proto.MetaGraphDef;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;

/**
 * Opens one version: loads its SavedModel ({@link SavedModelServable}, the meta graph of the
 * configured tags), refuses one whose graph saves variables but whose variables were not copied (it
 * would load, then fail every request), runs its warm-up requests ({@link Warmup}) unless {@code
 * --enable_model_warmup=false}, and queues its requests on the shared {@link BatchScheduler} when
 * batching is on. Its unload runs through {@code unloader}.
 */
final class VersionLoader {
  /** Opens a servable from a directory: the seam tests use to serve a fake model. */
  interface ServableOpener {
    Servable open(Path dir) throws TfmnistException;
  }

  private final ServableOpener opener;
  private final BatchScheduler batcher;
  private final Consumer<Runnable> unloader;
  private final boolean warmup;

  VersionLoader(
      ServableOpener opener, BatchScheduler batcher, Consumer<Runnable> unloader, boolean warmup) {
    this.opener = opener;
    this.batcher = batcher;
    this.unloader = unloader;
    this.warmup = warmup;
  }

  /** The real opener: a SavedModel's meta graph of {@code tags}, its session as configured. */
  static ServableOpener savedModels(Set<String> tags, SessionOptions session) {
    return dir -> {
      SavedModelServable s = SavedModelServable.load(dir, tags, session);
      try {
        requireVariables(dir, s.metaGraphDef());
        return s;
      } catch (TfmnistException e) {
        s.close();
        throw e;
      }
    };
  }

  private static void requireVariables(Path dir, MetaGraphDef meta) throws TfmnistException {
    boolean saves = meta.hasSaverDef() && !meta.getSaverDef().getRestoreOpName().isEmpty();
    if (saves && !Files.isRegularFile(dir.resolve("variables/variables.index"))) {
      throw new TfmnistException(
          dir + ": does not run (half-copied?): variables/variables.index is missing");
    }
  }

  ServableVersion open(String model, long version, Path dir, Runnable onUnloaded)
      throws TfmnistException {
    Servable servable = opener.open(dir);
    try {
      if (warmup) {
        Warmup.run(dir, servable); // before the version is AVAILABLE
      }
    } catch (TfmnistException | RuntimeException e) {
      servable.close();
      throw e;
    }
    return new ServableVersion(version, servable, batcher, unloader, onUnloaded);
  }
}
