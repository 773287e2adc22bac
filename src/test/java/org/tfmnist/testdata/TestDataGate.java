package org.tfmnist.testdata;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.tfmnist.TestData;

/**
 * Resolves the test data once, before any test runs (registered through {@code META-INF/services}).
 * When it is missing, prints the one-line reason once and lets only {@link TestDataAvailableTest}
 * run, which fails with that line: one failure that says what to do, instead of a failure per test.
 */
public final class TestDataGate implements PostDiscoveryFilter {
  private static String problem;
  private static boolean checked;

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    String missing = problem();
    if (missing == null) {
      return FilterResult.included("test data present");
    }
    if (isAvailabilityTest(descriptor)) {
      return FilterResult.included("reports the missing test data");
    }
    return FilterResult.excluded(missing);
  }

  private static synchronized String problem() {
    if (!checked) {
      checked = true;
      try {
        TestData.ensure();
      } catch (MissingTestData e) {
        problem = e.getMessage();
        System.err.println("tests not run: " + problem);
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
