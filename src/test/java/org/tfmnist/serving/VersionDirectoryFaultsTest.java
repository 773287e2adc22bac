package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;
import org.tfmnist.TestData;
import org.tfmnist.TrainedModels;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/**
 * Faults of the version manager found in review: version directories named {@code 007}, symlinked
 * versions copied in halves, a half-copied latest version at start-up, and the unload of a batched
 * version from its own batch thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag("data")
class VersionDirectoryFaultsTest {
  @TempDir static Path tmp;
  static Path model;
  static float[] image;

  @BeforeAll
  static void train() throws Exception {
    model = TrainedModels.softmax(tmp.resolve("saved_model")).savedModel();
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    image = Arrays.copyOf(test.images(), 784);
  }

  @Test
  void aDirectoryNamed007IsVersion7AndOpensAsIs() throws Exception {
    Path base = tmp.resolve("zeros");
    ModelVersionsTest.copy(model, base.resolve("007"));
    try (ModelManager models = manager(base, BatchingOptions.OFF)) {
      assertEquals(7, models.latestLoaded());
      try (ModelManager.Lease lease = models.lease("mnist", 7L)) {
        assertEquals(
            10,
            MnistSignatures.predictions(
                    lease
                        .model()
                        .run(
                            "serving_default",
                            MnistSignatures.images(image, 1),
                            MnistSignatures.OUTPUTS))[0]
                .probabilities()
                .length);
      }
    }
  }

  @Test
  void aHalfCopiedLatestVersionAtStartUpServesThePreviousOne() throws Exception {
    Path base = tmp.resolve("startup");
    ModelVersionsTest.copy(model, base.resolve("1"));
    Files.createDirectories(base.resolve("2"));
    Files.copy(model.resolve("saved_model.pb"), base.resolve("2/saved_model.pb"));
    try (ModelManager models = manager(base, BatchingOptions.OFF)) {
      assertEquals(1, models.latestLoaded());
      VersionStatus two = models.status("mnist", 2L).get(0);
      assertEquals(VersionStatus.State.END, two.state());
      assertFalse(two.errorMessage().isEmpty());
      assertFalse(two.errorMessage().contains(tmp.toString()), two.errorMessage());
      assertFalse(two.errorMessage().contains(tmp.toRealPath().toString()), two.errorMessage());
      ModelVersionsTest.copy(model.resolve("variables"), base.resolve("2/variables"));
      models.poll(); // changed since it failed
      models.poll(); // unchanged over one poll: complete
      assertEquals(2, models.latestLoaded());
    }
  }

  @Test
  void aSymlinkedVersionIsRetriedOnceItsTargetIsComplete() throws Exception {
    Path base = tmp.resolve("linked");
    ModelVersionsTest.copy(model, base.resolve("1"));
    Path staging = tmp.resolve("staging/2");
    Files.createDirectories(staging);
    Files.copy(model.resolve("saved_model.pb"), staging.resolve("saved_model.pb"));
    Files.createSymbolicLink(base.resolve("2"), staging);
    try (ModelManager models = manager(base, BatchingOptions.OFF)) {
      models.poll();
      models.poll();
      assertEquals(1, models.latestLoaded(), "the target is half-copied");
      ModelVersionsTest.copy(model.resolve("variables"), staging.resolve("variables"));
      for (int i = 0; i < 3 && models.latestLoaded() != 2; i++) {
        models.poll();
      }
      assertEquals(2, models.latestLoaded(), "never retried once the copy was complete");
    }
  }

  /**
   * Two requests share version 1's batch (of 2, 10 minutes at most): the first waits in it while
   * version 1 retires, the second fills it. The last lease closes on the batch thread, as the REST
   * server's does; the unload must run on the manager's unload thread (a batch thread closing its
   * own batcher waited on itself), and both requests are answered.
   */
  @Test
  void theLastBatchedRequestOnARetiredVersionAnswersAtOnce() throws Exception {
    Path base = tmp.resolve("batched");
    ModelVersionsTest.copy(model, base.resolve("1"));
    AtomicReference<String> unloadedOn = new AtomicReference<>();
    PrintStream log =
        new PrintStream(OutputStream.nullOutputStream()) {
          @Override
          public void println(String x) {
            if (x.endsWith("version 1 unloaded")) {
              unloadedOn.set(Thread.currentThread().getName());
            }
          }
        };
    try (ModelManager models =
        ModelVersionsTest.latest(
            base, Duration.ZERO, new BatchingOptions(true, 2, 600_000_000, 1), log)) {
      ModelManager.Lease first = models.lease("mnist", null);
      ModelManager.Lease last = models.lease("mnist", null);
      CompletableFuture<?> waiting =
          first
              .servable()
              .run(
                  "serving_default",
                  MnistSignatures.images(image, 1),
                  MnistSignatures.OUTPUTS,
                  ForkJoinPool.commonPool())
              .whenComplete((p, failure) -> first.close()); // as the REST server does
      ModelVersionsTest.copy(model, base.resolve("2"));
      models.poll();
      models.poll(); // version 2 loads; version 1 retires while its request waits for its batch
      assertEquals(2, models.latestLoaded());
      assertFalse(waiting.isDone(), "answered before its batch was full");
      CompletableFuture<?> answered =
          last.servable()
              .run(
                  "serving_default",
                  MnistSignatures.images(image, 1),
                  MnistSignatures.OUTPUTS,
                  ForkJoinPool.commonPool())
              .whenComplete((p, failure) -> last.close());
      answered.get(60, TimeUnit.SECONDS);
      waiting.get(60, TimeUnit.SECONDS);
      Await.until("version 1 unloaded", () -> state(models, 1) == VersionStatus.State.END);
      assertEquals("model-unload", unloadedOn.get(), "the thread that unloaded version 1");
    }
  }

  private static VersionStatus.State state(ModelManager models, long version) {
    try {
      return models.status("mnist", version).get(0).state();
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }

  private static ModelManager manager(Path base, BatchingOptions batching) throws Exception {
    return ModelVersionsTest.latest(base, Duration.ZERO, batching, ModelVersionsTest.QUIET);
  }
}
