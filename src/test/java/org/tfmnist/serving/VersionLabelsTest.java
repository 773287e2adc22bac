package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TfmnistException;

/**
 * TF Serving's rule for {@code version_labels} (server_core.cc): by default a label may name only
 * an AVAILABLE version, so labels in the first config are refused; with {@code
 * --allow_version_labels_for_unavailable_models} a new label may name a version not loaded yet, but
 * an existing label may not move to one. A refused config changes nothing. Versions are fakes
 * ({@link GatedOpener}) that load at once.
 */
@Tag("unit")
class VersionLabelsTest {
  @TempDir Path tmp;

  @Test
  void byDefaultALabelMayNameOnlyAnAvailableVersion() throws Exception {
    Path base = GatedOpener.versions(tmp.resolve("m"), 1);
    TfmnistException atStart =
        assertThrows(
            TfmnistException.class,
            () -> manager(false, pinned(base, Map.of("stable", 1L))).close());
    assertEquals(refusal(1), atStart.getMessage(), "nothing is AVAILABLE before the first load");

    try (ModelManager m = manager(false, pinned(base, Map.of()))) {
      m.apply(List.of(pinned(base, Map.of("stable", 1L))));
      assertEquals(1, lease(m, "stable"));
      TfmnistException canary =
          assertThrows(
              TfmnistException.class,
              () -> m.apply(List.of(pinned(base, Map.of("stable", 1L, "canary", 2L)))));
      assertEquals(refusal(2), canary.getMessage());
      assertEquals(1, lease(m, "stable"), "a refused config changes nothing");
      assertApiError(400, "Unrecognized servable version label: canary", m, "canary");
    }
  }

  @Test
  void withTheFlagANewLabelMayNameAVersionNotLoadedYet() throws Exception {
    Path base = GatedOpener.versions(tmp.resolve("m"), 1);
    try (ModelManager m = manager(true, pinned(base, Map.of("stable", 1L, "canary", 2L)))) {
      assertEquals(1, lease(m, "stable"));
      assertApiError(404, "Servable not found for request: Specific(m, 2)", m, "canary");

      TfmnistException moved =
          assertThrows(
              TfmnistException.class,
              () -> m.apply(List.of(pinned(base, Map.of("stable", 2L, "canary", 2L)))));
      assertEquals(refusal(2), moved.getMessage(), "an existing label moves only to AVAILABLE");
      assertEquals(1, lease(m, "stable"));

      GatedOpener.versions(base, 2); // the canary lands
      m.poll();
      m.poll();
      assertEquals(2, lease(m, "canary"));
      m.apply(List.of(pinned(base, Map.of("stable", 2L, "canary", 2L)))); // now it may move
      assertEquals(2, lease(m, "stable"));
    }
  }

  /** Versions 1 and 2 pinned, with {@code labels}. */
  private static ModelConfig pinned(Path base, Map<String, Long> labels) {
    return new ModelConfig("m", base, VersionPolicy.specific(1, 2), labels);
  }

  private static ModelManager manager(boolean labelsForUnavailable, ModelConfig config)
      throws TfmnistException {
    return ModelManager.withOpener(
        List.of(config),
        GatedOpener.options(0, labelsForUnavailable),
        new GatedOpener(100),
        BatchingOptions.OFF,
        n -> {},
        GatedOpener.QUIET);
  }

  private static String refusal(long version) {
    return "Request to assign label to version "
        + version
        + " of model m, which is not currently available for inference";
  }

  private static long lease(ModelManager m, String label) throws ApiException {
    try (ModelManager.Lease lease = m.lease("m", null, label)) {
      return lease.version();
    }
  }

  private static void assertApiError(int status, String message, ModelManager m, String label) {
    ApiException e = assertThrows(ApiException.class, () -> lease(m, label));
    assertEquals(status, e.status);
    assertEquals(message, e.getMessage());
  }
}
