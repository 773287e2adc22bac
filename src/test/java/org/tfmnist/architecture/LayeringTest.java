package org.tfmnist.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TfmnistException;

/**
 * The layering rule of docs/architecture.md, on the production classes: imports only run downward
 * through {@link #LAYERS}; {@code serving*} never imports train, run or cluster; no cycles between
 * packages; every package has its place in the list (a new package is added here and to the page),
 * and docs/architecture.md shows every layer in its table and its diagram.
 */
@Tag("unit")
class LayeringTest {
  /**
   * The layers, lowest first; a layer may use the ones before it. Each row is a layer name and its
   * packages; packages in one row (serving.http, serving.grpc) are siblings and do not use each
   * other. The base layer is the root package alone (DurableFiles, TfmnistException).
   */
  static final List<String[]> LAYERS =
      List.of(
          new String[] {"base", "org.tfmnist"},
          new String[] {"runtime", "org.tfmnist.runtime.."},
          new String[] {"data", "org.tfmnist.data.."},
          new String[] {"model", "org.tfmnist.model.."},
          new String[] {"export", "org.tfmnist.export.."},
          new String[] {"inference", "org.tfmnist.inference.."},
          new String[] {"report", "org.tfmnist.report.."},
          new String[] {"train", "org.tfmnist.train"},
          new String[] {"train.listeners", "org.tfmnist.train.listeners.."},
          new String[] {"run", "org.tfmnist.run.."},
          new String[] {"cluster", "org.tfmnist.cluster.."},
          new String[] {"serving.tensor", "org.tfmnist.serving.tensor.."},
          new String[] {"serving", "org.tfmnist.serving"},
          new String[] {"serving.http", "org.tfmnist.serving.http.."},
          new String[] {"serving.grpc", "org.tfmnist.serving.grpc.."},
          new String[] {"serving.server", "org.tfmnist.serving.server.."},
          new String[] {"bench", "org.tfmnist.bench.."},
          new String[] {"cli", "org.tfmnist.cli.."},
          new String[] {"tutorials", "org.tfmnist.tutorials.."});

  /** Layers of equal rank: neither may use the other. */
  static final List<String> SIBLINGS = List.of("serving.http", "serving.grpc");

  static JavaClasses production;

  /** Imports the production classes from where they were compiled (target/classes), no jar. */
  @BeforeAll
  static void importClasses() throws URISyntaxException {
    Path classes =
        Path.of(TfmnistException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(classes);
  }

  @Test
  void importsOnlyRunDownward() {
    architecture().check(production);
  }

  @Test
  void servingNeverImportsTrainingRunOrCluster() {
    noClasses()
        .that()
        .resideInAPackage("org.tfmnist.serving..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.tfmnist.train..",
            "org.tfmnist.run..",
            "org.tfmnist.cluster..",
            "org.tfmnist.bench..",
            "org.tfmnist.cli..")
        .check(production);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.tfmnist.(**)").should().beFreeOfCycles().check(production);
  }

  /**
   * Every package of ours has a layer. The classes generated from TF Serving's {@code .proto} files
   * (src/main/proto) keep TF Serving's own package, {@code tensorflow.serving}, and are no layer of
   * ours: they use nothing of tfmnist, only protobuf, gRPC and TF Java's protos.
   */
  @Test
  void everyPackageHasALayer() {
    String[] packages = LAYERS.stream().map(layer -> layer[1]).toArray(String[]::new);
    classes()
        .that()
        .resideOutsideOfPackage("tensorflow.serving..")
        .should()
        .resideInAnyPackage(packages)
        .check(production);
    noClasses()
        .that()
        .resideInAPackage("tensorflow.serving..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.tfmnist..")
        .check(production);
  }

  /** docs/architecture.md has a table row and a diagram node for every layer but the root. */
  @Test
  void architecturePageShowsEveryLayer() throws IOException {
    String page = Files.readString(Path.of("docs", "architecture.md"));
    int start = page.indexOf("```mermaid");
    assertTrue(start >= 0, "docs/architecture.md has no Mermaid diagram");
    String diagram = page.substring(start, page.indexOf("```", start + 3));
    for (String[] layer : LAYERS.subList(1, LAYERS.size())) {
      String name = layer[0];
      assertTrue(page.contains("\n| `" + name + "` |"), "no table row for " + name);
      assertTrue(
          Pattern.compile("[\\s\\[]" + Pattern.quote(name) + "[\\s\\]]").matcher(diagram).find(),
          "no diagram node for " + name);
    }
  }

  /** Each layer may use only the layers below it (siblings excepted); empty layers allowed. */
  static LayeredArchitecture architecture() {
    LayeredArchitecture layers =
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String[] layer : LAYERS) {
      layers = layers.layer(layer[0]).definedBy(layer[1]);
    }
    for (int i = 1; i < LAYERS.size(); i++) {
      String name = LAYERS.get(i)[0];
      List<String> below = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        String lower = LAYERS.get(j)[0];
        if (!(SIBLINGS.contains(name) && SIBLINGS.contains(lower))) {
          below.add(lower);
        }
      }
      layers = layers.whereLayer(name).mayOnlyAccessLayers(below.toArray(String[]::new));
    }
    return layers.whereLayer("base").mayNotAccessAnyLayer().withOptionalLayers(true);
  }
}
