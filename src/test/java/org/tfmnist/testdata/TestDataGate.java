package org.tfmnist.testdata;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TagFilter;
import org.tfmnist.TestData;

/**
 * Gates the tests tagged {@value #DATA} (they read MNIST, mnist-small or Fashion-MNIST) on the test
 * data (registered through {@code META-INF/services}). The data is resolved once, when the first
 * such test is discovered, so a run of untagged or {@code unit} tests never looks for it. When it
 * is missing, prints the one-line reason once and lets only {@link TestDataAvailableTest} of the
 * data tests run, which fails with that line: one failure that says what to do, instead of a
 * failure per test. Tests without the tag run either way.
 */
public final class TestDataGate implements PostDiscoveryFilter {
  /** The tag of a test that reads the test data. */
  public static final String DATA = "data";

  private static String problem;
  private static boolean checked;

  /**
   * The tag expressions of Surefire's {@code -Dgroups} and {@code -DexcludedGroups}, which the pom
   * passes on as these system properties: the JUnit launcher runs this filter before Surefire's own
   * tag filter, so without them a {@code -Dgroups=unit} run would look for the data (and download
   * it) for tests it is about to drop.
   */
  static final String GROUPS = "tfmnist.groups";

  static final String EXCLUDED_GROUPS = "tfmnist.excludedGroups";

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    if (!descriptor.getTags().contains(TestTag.create(DATA))) {
      return FilterResult.included("reads no test data");
    }
    FilterResult selected = selectedByTags(descriptor);
    if (selected.excluded()) {
      return selected;
    }
    String missing = problem();
    if (missing == null) {
      return FilterResult.included("test data present");
    }
    if (isAvailabilityTest(descriptor)) {
      return FilterResult.included("reports the missing test data");
    }
    return FilterResult.excluded(missing);
  }

  /** The verdict of the run's own tag selection, the same as Surefire's. */
  private static FilterResult selectedByTags(TestDescriptor descriptor) {
    String include = System.getProperty(GROUPS, "").strip();
    if (!include.isEmpty()
        && TagFilter.includeTags(include.split(",")).apply(descriptor).excluded()) {
      return FilterResult.excluded("not in -Dgroups=" + include);
    }
    String exclude = System.getProperty(EXCLUDED_GROUPS, "").strip();
    if (!exclude.isEmpty()
        && TagFilter.excludeTags(exclude.split(",")).apply(descriptor).excluded()) {
      return FilterResult.excluded("in -DexcludedGroups=" + exclude);
    }
    return FilterResult.included("selected by tags");
  }

  private static synchronized String problem() {
    if (!checked) {
      checked = true;
      try {
        TestData.ensure();
      } catch (MissingTestData e) {
        problem = e.getMessage();
        System.err.println("tests tagged \"" + DATA + "\" not run: " + problem);
      }
    }
    return problem;
  }

  private static boolean isAvailabilityTest(TestDescriptor descriptor) {
    String name = TestDataAvailableTest.class.getName();
    TestSource source = descriptor.getSource().orElse(null);
    if (source instanceof MethodSource m) {
      return m.getClassName().equals(name);
    }
    if (source instanceof ClassSource c) {
      return c.getClassName().equals(name);
    }
    return false;
  }
}
