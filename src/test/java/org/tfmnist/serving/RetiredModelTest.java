package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.testdata.ForeignModels;

/**
 * A model retired by a new config (or the server's close) loads nothing again: the background
 * poller walks a snapshot of the models taken before the config changed, so it may still poll a
 * retired model; that poll used to load its latest version again, a copy (session, batch threads)
 * that nothing would ever close.
 */
@Tag("unit")
class RetiredModelTest {
  @TempDir Path tmp;

  @Test
  void aPollAfterRetirementLoadsNothing() throws Exception {
    Path base = tmp.resolve("m");
    ForeignModels.tutorialContract(base.resolve("1"));
    AtomicInteger opens = new AtomicInteger();
    AtomicInteger unloads = new AtomicInteger();
    VersionLoader loader =
        new VersionLoader(
            VersionLoader.savedModels(ModelManager.DEFAULT_TAGS, SessionOptions.standard()),
            null,
            Runnable::run,
            true);
    ServedModel.Opener opener =
        (model, version, dir, onUnloaded) -> {
          opens.incrementAndGet();
          return loader.open(
              model,
              version,
              dir,
              () -> {
                unloads.incrementAndGet();
                onUnloaded.run();
              });
        };
    PrintStream log = new PrintStream(java.io.OutputStream.nullOutputStream());
    ServedModel model =
        ServedModel.create(ModelConfig.latest("m", base), opener, new LoadThreads(0), log);
    model.poll(true);
    assertEquals(1, opens.get());
    assertEquals(1, model.latestLoaded());

    model.retireAll(); // the model left the config
    assertEquals(1, unloads.get());
    model.poll(false); // the poller's snapshot still held it

    assertEquals(1, opens.get(), "a retired model must not load its version again");
    assertEquals(-1, model.latestLoaded());
    assertEquals(opens.get(), unloads.get(), "every version opened is closed");
  }
}
