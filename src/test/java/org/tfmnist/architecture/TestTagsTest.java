package org.tfmnist.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.TestData;

/**
 * The test tiers hold: a test class that reads the test data through the fixtures carries
 * {@code @Tag("data")} (so {@code TestDataGate} gates it) and never {@code @Tag("unit")} (the unit
 * tier runs without data). Checked on the compiled test classes, lambdas and nested classes
 * included.
 */
@Tag("unit")
class TestTagsTest {
  /** The fixture methods that read (or download) the test data. */
  static final Set<String> DATA_READERS =
      Set.of(
          "org.tfmnist.TestData.ensure",
          "org.tfmnist.TestData.mnistDir",
          "org.tfmnist.TestData.mnistSmallDir",
          "org.tfmnist.TestData.mnistSmallFirstTrainLabels",
          "org.tfmnist.TestData.mnistSmallFirstTestLabels",
          "org.tfmnist.TestData.fashionMnistDir",
          "org.tfmnist.TestData.digitsFile",
          "org.tfmnist.TestData.sharedData",
          "org.tfmnist.SmallMnist.write",
          "org.tfmnist.TrainedModels.beginners",
          "org.tfmnist.TrainedModels.experts",
          "org.tfmnist.cluster.TestCluster.beginners");

  static JavaClasses tests;

  @BeforeAll
  static void importTestClasses() throws URISyntaxException {
    Path classes =
        Path.of(TestData.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    tests = new ClassFileImporter().importPath(classes);
  }

  @Test
  void testsThatReadTheDataAreTaggedDataAndNotUnit() {
    List<String> wrong = new ArrayList<>();
    int readers = 0;
    for (JavaClass test : tests) {
      if (!test.getSimpleName().endsWith("Test") || test.getEnclosingClass().isPresent()) {
        continue;
      }
      Set<String> reads = dataReads(test);
      if (reads.isEmpty()) {
        continue;
      }
      readers++;
      List<String> tags = tags(test);
      if (!tags.contains("data") || tags.contains("unit")) {
        wrong.add(test.getName() + " calls " + reads + " but is tagged " + tags);
      }
    }
    assertTrue(readers >= 30, "found only " + readers + " test classes that read the data");
    assertEquals(List.of(), wrong);
  }

  /** The data-reading fixture methods {@code test} (or a class nested in it) calls. */
  private static Set<String> dataReads(JavaClass test) {
    Set<String> reads = new TreeSet<>();
    for (JavaClass c : tests) {
      if (c.equals(test) || c.getName().startsWith(test.getName() + "$")) {
        for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
          String target = call.getTargetOwner().getName() + "." + call.getName();
          if (DATA_READERS.contains(target)) {
            reads.add(target);
          }
        }
      }
    }
    return reads;
  }

  private static List<String> tags(JavaClass test) {
    return test.tryGetAnnotationOfType(Tag.class)
        .map(tag -> List.of(tag.value()))
        .orElseGet(
            () ->
                test.tryGetAnnotationOfType(org.junit.jupiter.api.Tags.class)
                    .map(t -> Arrays.stream(t.value()).map(Tag::value).toList())
                    .orElse(List.of()));
  }
}
