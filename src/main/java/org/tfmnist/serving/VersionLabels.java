package org.tfmnist.serving;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tfmnist.TfmnistException;

/**
 * TF Serving's rule for {@code version_labels}, checked before a config is applied (server_core.cc,
 * {@code UpdateModelVersionLabelMap}): a label may name only a version AVAILABLE now, so a config
 * at start-up, before anything has loaded, may not carry labels. With {@code
 * --allow_version_labels_for_unavailable_models} a new label, or one left on its version, may name
 * any version; moving an existing label still needs an AVAILABLE version. A request by a label
 * whose version is not AVAILABLE is answered as for that version's number.
 */
final class VersionLabels {
  private VersionLabels() {}

  /**
   * Refuses {@code configs} with TF Serving's error if a label names a version it may not, given
   * the models served {@code now}.
   */
  static void check(
      List<ModelConfig> configs, Map<String, ServedModel> now, boolean allowUnavailable)
      throws TfmnistException {
    for (ModelConfig c : configs) {
      ServedModel served = now.get(c.name());
      Map<String, Long> before =
          served == null || served.config() == null ? Map.of() : served.config().labels();
      for (Map.Entry<String, Long> label : new TreeMap<>(c.labels()).entrySet()) {
        long version = label.getValue();
        Long was = before.get(label.getKey());
        boolean free = allowUnavailable && (was == null || was == version);
        if (!free && (served == null || !served.available(version))) {
          throw new TfmnistException(
              "Request to assign label to version "
                  + version
                  + " of model "
                  + c.name()
                  + ", which is not currently available for inference");
        }
      }
    }
  }
}
