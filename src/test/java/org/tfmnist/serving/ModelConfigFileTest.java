package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TfmnistException;

/** TF Serving's text-format model config file mapped to {@link ModelConfig}s, and its errors. */
@Tag("unit")
class ModelConfigFileTest {
  static final String TWO_MODELS =
      """
      model_config_list {
        config {
          name: "mnist"
          base_path: "/models/mnist"
          model_platform: "tensorflow"
          model_version_policy { specific { versions: 1 versions: 2 } }
          version_labels { key: "stable" value: 1 }
          version_labels { key: "canary" value: 2 }
        }
        config {
          name: "cnn"
          base_path: "/models/cnn"
          model_version_policy { latest { num_versions: 2 } }
        }
        config { name: "every" base_path: "/models/every" model_version_policy { all {} } }
        config { name: "plain" base_path: "/models/plain" }
      }
      """;

  @Test
  void mapsModelsPoliciesAndLabels() throws TfmnistException {
    List<ModelConfig> configs = ModelConfigFile.parse(TWO_MODELS, "models.config");
    assertEquals(
        List.of(
            new ModelConfig(
                "mnist",
                Path.of("/models/mnist"),
                new VersionPolicy.Specific(new TreeSet<>(List.of(1L, 2L))),
                Map.of("stable", 1L, "canary", 2L)),
            new ModelConfig("cnn", Path.of("/models/cnn"), new VersionPolicy.Latest(2), Map.of()),
            new ModelConfig("every", Path.of("/models/every"), new VersionPolicy.All(), Map.of()),
            ModelConfig.latest("plain", Path.of("/models/plain"))),
        configs);
  }

  @Test
  void errorsAreOneLineNamingTheFileAndTheField() {
    assertError(
        "models.config:1:40: unknown field tensorflow.serving.ModelConfig.bas_path",
        "model_config_list { config { name: \"a\" bas_path: \"/x\" } }");
    assertError(
        "models.config: model_config_list.config[1] (model 'b').base_path: missing",
        "model_config_list { config { name: \"a\" base_path: \"/x\" } config { name: \"b\" } }");
    assertError(
        "models.config: model_config_list.config[0].name: missing",
        "model_config_list { config { base_path: \"/x\" } }");
    assertError(
        "models.config: model_config_list.config[0] (model 'a').model_version_policy.specific"
            + ".versions: list one or more versions >= 0",
        "model_config_list { config { name: \"a\" base_path: \"/x\""
            + " model_version_policy { specific {} } } }");
    assertError(
        "models.config: model_config_list.config[0] (model 'a').model_platform: 'pytorch';"
            + " only 'tensorflow' is served",
        "model_config_list { config { name: \"a\" base_path: \"/x\" model_platform: \"pytorch\" } }");
    assertError("models.config: model_config_list: no model configured", "");
  }

  private static void assertError(String message, String text) {
    TfmnistException e =
        assertThrows(TfmnistException.class, () -> ModelConfigFile.parse(text, "models.config"));
    assertEquals(message, e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
