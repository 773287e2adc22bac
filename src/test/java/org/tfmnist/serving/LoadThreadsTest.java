package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tfmnist.serving.VersionStatus.State.AVAILABLE;
import static org.tfmnist.serving.VersionStatus.State.LOADING;
import static org.tfmnist.serving.VersionStatus.State.START;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.Await;

/**
 * TF Serving's {@code --num_load_threads}: by default versions load one at a time (the others wait
 * in START); with 2, two versions of one model, or two models of one config, load at once. Loads
 * are held at a gate ({@link GatedOpener}) so the test sees them in flight; a model retired, or a
 * server closed, while a version loads leaves no copy open.
 */
@Tag("unit")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadThreadsTest {
  @TempDir Path tmp;

  @Test
  void byDefaultVersionsLoadOneAtATime() throws Exception {
    GatedOpener gate = new GatedOpener(0);
    Path base = GatedOpener.versions(tmp.resolve("m"));
    try (ModelManager m = manager(gate, 0, all("m", base))) {
      CompletableFuture<Void> poll = threeVersionsLand(m, base);
      assertEquals(base.resolve("3"), gate.nextStarted());
      assertEquals(Map.of(3L, LOADING, 2L, START, 1L, START), states(m, "m"));
      gate.pass(1);
      assertEquals(base.resolve("2"), gate.nextStarted());
      assertEquals(Map.of(3L, AVAILABLE, 2L, LOADING, 1L, START), states(m, "m"));
      gate.pass(2);
      poll.get(30, TimeUnit.SECONDS);
      assertEquals(Map.of(3L, AVAILABLE, 2L, AVAILABLE, 1L, AVAILABLE), states(m, "m"));
      assertEquals(1, gate.mostInFlight.get(), "one load at a time");
    }
    assertEquals(3, gate.closed.get(), "every version closed with the server");
  }

  @Test
  void twoLoadThreadsLoadTwoVersionsAtOnce() throws Exception {
    GatedOpener gate = new GatedOpener(0);
    Path base = GatedOpener.versions(tmp.resolve("m"));
    try (ModelManager m = manager(gate, 2, all("m", base))) {
      CompletableFuture<Void> poll = threeVersionsLand(m, base);
      assertEquals(
          Set.of(base.resolve("3"), base.resolve("2")),
          Set.of(gate.nextStarted(), gate.nextStarted()));
      assertEquals(Map.of(3L, LOADING, 2L, LOADING, 1L, START), states(m, "m"));
      gate.pass(3);
      poll.get(30, TimeUnit.SECONDS);
      assertEquals(Map.of(3L, AVAILABLE, 2L, AVAILABLE, 1L, AVAILABLE), states(m, "m"));
      assertEquals(2, gate.mostInFlight.get(), "two loads at a time, never three");
    }
    assertEquals(3, gate.closed.get());
  }

  @Test
  void twoLoadThreadsLoadTwoModelsOfAConfigAtOnce() throws Exception {
    GatedOpener gate = new GatedOpener(0);
    Path a = GatedOpener.versions(tmp.resolve("a"), 1);
    Path b = GatedOpener.versions(tmp.resolve("b"), 1);
    try (ModelManager m = manager(gate, 2)) {
      CompletableFuture<Void> apply =
          CompletableFuture.runAsync(
              () ->
                  applyUnchecked(
                      m, List.of(ModelConfig.latest("a", a), ModelConfig.latest("b", b))));
      assertEquals(
          Set.of(a.resolve("1"), b.resolve("1")), Set.of(gate.nextStarted(), gate.nextStarted()));
      gate.pass(2);
      apply.get(30, TimeUnit.SECONDS);
      assertEquals(List.of("a", "b"), m.names());
      assertEquals(Map.of(1L, AVAILABLE), states(m, "a"));
      assertEquals(Map.of(1L, AVAILABLE), states(m, "b"));
      assertEquals(2, gate.mostInFlight.get());
    }
    assertEquals(2, gate.closed.get());
  }

  @Test
  void aModelRetiredWhileItsVersionLoadsClosesThatVersion() throws Exception {
    GatedOpener gate = new GatedOpener(0);
    Path a = GatedOpener.versions(tmp.resolve("a"));
    Path b = GatedOpener.versions(tmp.resolve("b"));
    try (ModelManager m = manager(gate, 2, ModelConfig.latest("a", a))) {
      GatedOpener.versions(a, 1);
      m.poll(); // first sight: not loaded until its files stay the same
      CompletableFuture<Void> poll = CompletableFuture.runAsync(m::poll);
      assertEquals(a.resolve("1"), gate.nextStarted());

      // the config drops "a" while its version 1 loads: the change does not wait for that load
      CompletableFuture.runAsync(() -> applyUnchecked(m, List.of(ModelConfig.latest("b", b))))
          .get(30, TimeUnit.SECONDS);
      assertEquals(List.of("b"), m.names());
      gate.pass(1);
      poll.get(30, TimeUnit.SECONDS);
      Await.until("the late version closed", () -> gate.closed.get() == 1);
      assertEquals(-1, m.latestLoaded("a"));
    }
    assertEquals(1, gate.opened.get());
    assertEquals(1, gate.closed.get(), "the copy loaded for a retired model is closed");
  }

  @Test
  void aServerClosedWhileAVersionLoadsClosesThatVersion() throws Exception {
    GatedOpener gate = new GatedOpener(0);
    Path a = GatedOpener.versions(tmp.resolve("a"));
    ModelManager m = manager(gate, 2, ModelConfig.latest("a", a));
    GatedOpener.versions(a, 1);
    m.poll();
    CompletableFuture<Void> poll = CompletableFuture.runAsync(m::poll);
    gate.nextStarted();
    CompletableFuture<Void> close = CompletableFuture.runAsync(m::close);
    gate.pass(1);
    close.get(30, TimeUnit.SECONDS);
    poll.get(30, TimeUnit.SECONDS);
    assertEquals(1, gate.opened.get());
    assertEquals(1, gate.closed.get(), "close waits for the load, then closes what it loaded");
  }

  private static ModelManager manager(GatedOpener gate, int loadThreads, ModelConfig... configs)
      throws Exception {
    return ModelManager.withOpener(
        List.of(configs),
        GatedOpener.options(loadThreads, false),
        gate,
        BatchingOptions.OFF,
        n -> {},
        GatedOpener.QUIET);
  }

  private static ModelConfig all(String name, Path base) {
    return new ModelConfig(name, base, new VersionPolicy.All(), Map.of());
  }

  /** Versions 1 to 3 appear under {@code base}; the second poll (on another thread) loads them. */
  private static CompletableFuture<Void> threeVersionsLand(ModelManager m, Path base)
      throws Exception {
    GatedOpener.versions(base, 1, 2, 3);
    m.poll(); // first sight: loaded once their files stay the same
    return CompletableFuture.runAsync(m::poll);
  }

  private static void applyUnchecked(ModelManager m, List<ModelConfig> configs) {
    try {
      m.apply(configs);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<Long, VersionStatus.State> states(ModelManager m, String model) throws ApiException {
    Map<Long, VersionStatus.State> out = new TreeMap<>();
    m.status(model, null).forEach(s -> out.put(s.version(), s.state()));
    return out;
  }
}
