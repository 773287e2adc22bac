package org.tfmnist.serving;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.tfmnist.TfmnistException;
import tensorflow.serving.FileSystemStoragePathSource.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * TF Serving's {@code --model_config_file}: a text-format {@code ModelServerConfig} (its {@code
 * model_config_list}), read with protobuf's {@link TextFormat} into the class generated from TF
 * Serving's own {@code model_server_config.proto}, and mapped to {@link ModelConfig} records:
 * {@code name}, {@code base_path}, {@code model_version_policy} ({@code latest { num_versions }},
 * {@code all {}}, {@code specific { versions }}) and {@code version_labels}. Every error is one
 * line naming the file (or the request) and the field.
 */
public final class ModelConfigFile {
  private ModelConfigFile() {}

  /** Parses {@code file}'s text. */
  public static List<ModelConfig> read(Path file) throws TfmnistException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TfmnistException(
          file + ": cannot read the model config file: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses a config's text; {@code source} names it in errors. */
  public static List<ModelConfig> parse(String text, String source) throws TfmnistException {
    ModelServerConfig.Builder config = ModelServerConfig.newBuilder();
    try {
      TextFormat.getParser().merge(text, config);
    } catch (TextFormat.ParseException e) {
      throw new TfmnistException(
          source + ":" + e.getLine() + ":" + e.getColumn() + ": " + cause(e.getMessage()), e);
    }
    return map(config.build(), source);
  }

  /** Maps a parsed config (a file's, or one sent by {@code HandleReloadConfigRequest}). */
  public static List<ModelConfig> map(ModelServerConfig config, String source)
      throws TfmnistException {
    if (config.hasCustomModelConfig()) {
      throw new TfmnistException(
          source + ": custom_model_config is not supported; use model_config_list");
    }
    List<ModelConfig> out = new ArrayList<>();
    List<tensorflow.serving.ModelServerConfigOuterClass.ModelConfig> list =
        config.getModelConfigList().getConfigList();
    for (int i = 0; i < list.size(); i++) {
      out.add(model(list.get(i), source + ": model_config_list.config[" + i + "]"));
    }
    if (out.isEmpty()) {
      throw new TfmnistException(source + ": model_config_list: no model configured");
    }
    return out;
  }

  private static ModelConfig model(
      tensorflow.serving.ModelServerConfigOuterClass.ModelConfig c, String where)
      throws TfmnistException {
    if (c.getName().isEmpty()) {
      throw new TfmnistException(where + ".name: missing");
    }
    String at = where + " (model '" + c.getName() + "')";
    if (c.getBasePath().isEmpty()) {
      throw new TfmnistException(at + ".base_path: missing");
    }
    String platform = c.getModelPlatform();
    if (!platform.isEmpty() && !platform.equals("tensorflow")) {
      throw new TfmnistException(
          at + ".model_platform: '" + platform + "'; only 'tensorflow' is served");
    }
    Path base;
    try {
      base = Path.of(c.getBasePath()).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new TfmnistException(at + ".base_path: not a path: " + c.getBasePath(), e);
    }
    for (var label : c.getVersionLabelsMap().entrySet()) {
      if (label.getKey().isEmpty() || label.getValue() < 0) {
        throw new TfmnistException(
            at + ".version_labels: '" + label.getKey() + "' -> " + label.getValue());
      }
    }
    return new ModelConfig(
        c.getName(), base, policy(c.getModelVersionPolicy(), at), c.getVersionLabelsMap());
  }

  private static VersionPolicy policy(ServableVersionPolicy p, String at) throws TfmnistException {
    switch (p.getPolicyChoiceCase()) {
      case ALL:
        return new VersionPolicy.All();
      case SPECIFIC:
        SortedSet<Long> versions = new TreeSet<>(p.getSpecific().getVersionsList());
        if (versions.isEmpty() || versions.first() < 0) {
          throw new TfmnistException(
              at + ".model_version_policy.specific.versions: list one or more versions >= 0");
        }
        return new VersionPolicy.Specific(versions);
      case LATEST:
        int n = p.getLatest().getNumVersions(); // uint32: a negative int is over 2^31
        if (n < 0) {
          throw new TfmnistException(at + ".model_version_policy.latest.num_versions: too large");
        }
        return new VersionPolicy.Latest(Math.max(1, n)); // TF Serving: 0 (unset) means 1
      default:
        return VersionPolicy.latest();
    }
  }

  /**
   * The parser's message on one line, without its "line:column:" prefixes (the error names them
   * once) or its heading for unknown fields.
   */
  private static String cause(String message) {
    if (message == null) {
      return "";
    }
    List<String> lines =
        message.lines().map(l -> l.replaceFirst("^\\d+:\\d+:\\s*", "").strip()).toList();
    if (lines.size() > 1 && lines.get(0).startsWith("Input contains unknown fields")) {
      return "unknown field "
          + String.join(", ", lines.subList(1, lines.size()).stream().distinct().toList());
    }
    return String.join("; ", lines);
  }
}
