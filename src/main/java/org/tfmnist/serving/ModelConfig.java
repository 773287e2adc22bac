package org.tfmnist.serving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.tfmnist.TfmnistException;

/**
 * One entry of TF Serving's {@code model_config_list}: a model's name, the base path holding its
 * numbered versions, its {@code model_version_policy} and its {@code version_labels} (label to
 * version, e.g. {@code stable -> 1}, {@code canary -> 2}).
 */
public record ModelConfig(
    String name, Path basePath, VersionPolicy policy, Map<String, Long> labels) {
  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(basePath, "basePath");
    Objects.requireNonNull(policy, "policy");
    labels = Map.copyOf(new TreeMap<>(labels));
  }

  /** A model served as TF Serving serves {@code --model_name/--model_base_path}: latest(1). */
  public static ModelConfig latest(String name, Path basePath) {
    return new ModelConfig(name, basePath, VersionPolicy.latest(), Map.of());
  }

  /**
   * Checks a list before it is applied: names unique and URL-safe, base paths existing directories;
   * a one-line error naming the model otherwise.
   */
  static void checkAll(List<ModelConfig> configs) throws TfmnistException {
    Set<String> names = new HashSet<>();
    for (ModelConfig c : configs) {
      if (!c.name().matches("[A-Za-z0-9._-]+")) {
        throw new TfmnistException(
            "model name '" + c.name() + "': use letters, digits, '.', '_' or '-'");
      }
      if (!names.add(c.name())) {
        throw new TfmnistException("model '" + c.name() + "' is configured twice");
      }
      if (!Files.isDirectory(c.basePath())) {
        throw new TfmnistException(
            c.basePath()
                + ": no such directory (expected the base path of model '"
                + c.name()
                + "', holding version directories 1, 2, ...)");
      }
    }
  }
}
