package org.tfmnist.serving;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.Predictor;
import org.tfmnist.model.MnistShape;

/**
 * Opens one version: loads its SavedModel, checks that it answers one image (a SavedModel copied
 * without its variables loads, then fails every request), runs its warm-up requests ({@link
 * Warmup}), and gives it a {@link Batcher} when batching is on. Its unload runs through {@code
 * unloader}.
 */
final class VersionLoader {
  private final LoadOptions load;
  private final BatchingOptions batching;
  private final IntConsumer batchSizes;
  private final Consumer<Runnable> unloader;

  VersionLoader(
      LoadOptions load,
      BatchingOptions batching,
      IntConsumer batchSizes,
      Consumer<Runnable> unloader) {
    this.load = load;
    this.batching = batching;
    this.batchSizes = batchSizes;
    this.unloader = unloader;
  }

  ServableVersion open(String model, long version, Path dir, Runnable onUnloaded)
      throws TfmnistException {
    Predictor predictor = Predictor.load(dir, load.session());
    try {
      predictor.predict(
          new float[MnistShape.PIXELS], 1); // a SavedModel missing its variables loads
    } catch (RuntimeException e) {
      predictor.close();
      throw new TfmnistException(
          dir + ": does not run (half-copied?): " + TfmnistException.firstLine(e.getMessage()), e);
    }
    try {
      if (load.warmup()) { // --enable_model_warmup
        Warmup.run(dir, predictor); // before the version is AVAILABLE
      }
    } catch (TfmnistException e) {
      predictor.close();
      throw e;
    }
    Batcher batcher =
        batching.enabled()
            ? new Batcher(
                predictor,
                batching.maxBatchSize(),
                batching.batchTimeoutMicros(),
                batching.threads(),
                model + "-" + version,
                batchSizes)
            : null;
    return new ServableVersion(version, predictor, batcher, unloader, onUnloaded);
  }
}
