package org.tfmnist.serving.server;

import java.nio.file.Path;

/**
 * What a server serves: one SavedModel directory as version 1 of {@code name} ({@link #directory}),
 * TF Serving's {@code --model_name}/{@code --model_base_path} ({@link #basePath}), or its {@code
 * --model_config_file} ({@link #configFile}: the file names its models; {@code name} is unused).
 */
public record ModelSource(Kind kind, String name, Path path) {
  /** The three sources. */
  public enum Kind {
    DIRECTORY,
    BASE_PATH,
    CONFIG_FILE
  }

  /** One SavedModel directory, served as version 1 of {@code name} and never polled. */
  public static ModelSource directory(String name, Path dir) {
    return new ModelSource(Kind.DIRECTORY, name, dir);
  }

  /** Numbered versions {@code base/1}, {@code base/2}, ... of {@code name}, the latest served. */
  public static ModelSource basePath(String name, Path base) {
    return new ModelSource(Kind.BASE_PATH, name, base);
  }

  /** TF Serving's text-format {@code ModelServerConfig}. */
  public static ModelSource configFile(Path file) {
    return new ModelSource(Kind.CONFIG_FILE, "", file);
  }
}
