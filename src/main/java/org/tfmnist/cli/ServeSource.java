package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.ModelConfig;
import org.tfmnist.serving.ModelConfigFile;
import org.tfmnist.serving.ModelConfigPoller;
import org.tfmnist.serving.ModelManager;
import org.tfmnist.serving.ServingMetrics;
import picocli.CommandLine.Option;

/**
 * What {@code serve} serves, one of: a SavedModel directory, a base path of numbered versions, or
 * TF Serving's model config file (several models, version policies, labels).
 */
final class ServeSource {
  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "One SavedModel directory (e.g. <run-dir>/saved_model), served as version 1.")
  Path model;

  @Option(
      names = "--model_base_path",
      paramLabel = "BASE",
      description =
          "A directory of numbered versions BASE/1, BASE/2, ...: serves the latest and loads newer ones as they appear.")
  Path basePath;

  @Option(
      names = "--model_config_file",
      paramLabel = "FILE",
      description =
          "TF Serving's text-format ModelServerConfig: several models, each with base_path,"
              + " model_version_policy (latest/all/specific) and version_labels"
              + " (docs/serving-models.md).")
  Path configFile;

  /** The configs read from the config file at start-up (null without one). */
  private List<ModelConfig> configs;

  /** Loads what the flags name; a bad config file is a one-line error naming it and the field. */
  ModelManager open(
      String name,
      Duration pollWait,
      SessionOptions session,
      BatchingOptions batch,
      ServingMetrics metrics,
      PrintStream out)
      throws TfmnistException {
    if (model != null) {
      return ModelManager.forDirectory(name, model, session, batch, metrics::batch, out);
    }
    if (basePath != null) {
      return ModelManager.forBasePath(
          name, basePath, pollWait, session, batch, metrics::batch, out);
    }
    configs = ModelConfigFile.read(configFile);
    try {
      return ModelManager.forConfigs(configs, pollWait, session, batch, metrics::batch, out);
    } catch (TfmnistException e) {
      throw new TfmnistException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** The config file's poller, or null when there is no file or {@code wait} is zero. */
  ModelConfigPoller poller(ModelManager models, Duration wait, PrintStream log) {
    if (configFile == null || wait.isZero()) {
      return null;
    }
    return ModelConfigPoller.start(configFile, models, configs, wait, log);
  }

  /** What is served, for the start-up message. */
  String describe(String name, int pollSeconds) {
    if (model != null) {
      return model + " as model '" + name + "' version 1";
    }
    if (basePath != null) {
      return "model '"
          + name
          + "' from "
          + basePath
          + " (latest version, polled every "
          + pollSeconds
          + " s)";
    }
    return "models "
        + String.join(", ", configs.stream().map(c -> "'" + c.name() + "'").toList())
        + " from "
        + configFile;
  }
}
