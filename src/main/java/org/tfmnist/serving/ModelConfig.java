package org.tfmnist.serving;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
}
