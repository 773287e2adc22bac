package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.tfmnist.serving.server.ModelSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What {@code serve} serves, one of: a SavedModel directory ({@code --model}), a base path of
 * numbered versions ({@code --model_name}, {@code --model_base_path}), or TF Serving's model config
 * file (several models, version policies, labels). As in TF Serving, the config file wins: {@code
 * --model_name} and {@code --model_base_path} beside it are ignored with a warning.
 */
final class ServeSource {
  /** The warning for {@code --model_name} beside {@code --model_config_file}. */
  static final String IGNORED_NAME =
      "warning: --model_name is ignored with --model_config_file (the file names its models)";

  /** The warning for {@code --model_base_path} beside {@code --model_config_file}. */
  static final String IGNORED_BASE_PATH =
      "warning: --model_base_path is ignored with --model_config_file (the file names its models'"
          + " base paths)";

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "One SavedModel directory (e.g. <run-dir>/saved_model), served as version 1.")
  Path model;

  @Option(
      names = "--model_base_path",
      paramLabel = "BASE",
      description =
          "A directory of numbered versions BASE/1, BASE/2, ...: serves the latest and loads newer"
              + " ones as they appear. Ignored, with a warning, beside --model_config_file.")
  Path basePath;

  @Option(
      names = "--model_config_file",
      paramLabel = "FILE",
      description =
          "TF Serving's text-format ModelServerConfig: several models, each with base_path,"
              + " model_version_policy (latest/all/specific) and version_labels"
              + " (docs/serving-models.md).")
  Path configFile;

  @Option(
      names = {"--model_name", "--name"},
      paramLabel = "NAME",
      defaultValue = "mnist",
      description =
          "Model name in the URLs (default: ${DEFAULT-VALUE}; TF Serving's is 'default'); a config"
              + " file names its own.")
  String name;

  /** The source the flags name; warns on stderr about flags the config file overrides. */
  ModelSource source(CommandSpec spec, PrintStream err) {
    if (model != null && (basePath != null || configFile != null)) {
      throw new ParameterException(
          spec.commandLine(),
          "--model serves one SavedModel directory: leave out --model_base_path and"
              + " --model_config_file");
    }
    if (configFile != null) {
      if (matched(spec, "--model_name")) {
        err.println(IGNORED_NAME);
      }
      if (basePath != null) {
        err.println(IGNORED_BASE_PATH);
      }
      return ModelSource.configFile(configFile);
    }
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new ParameterException(
          spec.commandLine(),
          "--model_name: use letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (basePath != null) {
      return ModelSource.basePath(name, basePath);
    }
    if (model != null) {
      return ModelSource.directory(name, model);
    }
    throw new ParameterException(
        spec.commandLine(),
        "Missing --model_base_path (or --model_config_file, or --model DIR): what to serve");
  }

  private static boolean matched(CommandSpec spec, String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(spec.findOption(option));
  }
}
