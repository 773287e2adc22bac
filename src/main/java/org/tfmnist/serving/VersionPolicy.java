package org.tfmnist.serving;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * TF Serving's {@code model_version_policy}: which of a model's versions on disk are served. {@link
 * Latest} serves the newest {@code numVersions} (TF Serving's default, with 1), {@link All} every
 * version, {@link Specific} exactly the versions listed (a pinned version stays loaded when newer
 * ones arrive).
 */
public sealed interface VersionPolicy {
  /** The versions to serve, chosen from the loadable {@code versions}. */
  Set<Long> select(NavigableSet<Long> versions);

  /** {@code latest { num_versions: N }}: the N highest versions. */
  record Latest(int numVersions) implements VersionPolicy {
    public Latest {
      if (numVersions < 1) {
        throw new IllegalArgumentException("num_versions must be >= 1, got " + numVersions);
      }
    }

    @Override
    public Set<Long> select(NavigableSet<Long> versions) {
      Set<Long> out = new TreeSet<>();
      for (Long v : versions.descendingSet()) {
        if (out.size() == numVersions) {
          break;
        }
        out.add(v);
      }
      return out;
    }
  }

  /** {@code all {}}: every version. */
  record All() implements VersionPolicy {
    @Override
    public Set<Long> select(NavigableSet<Long> versions) {
      return new TreeSet<>(versions);
    }
  }

  /** {@code specific { versions: 1 versions: 3 }}: these versions, and only these. */
  record Specific(SortedSet<Long> versions) implements VersionPolicy {
    public Specific {
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("specific needs at least one version");
      }
      versions = Collections.unmodifiableSortedSet(new TreeSet<>(versions));
    }

    @Override
    public Set<Long> select(NavigableSet<Long> available) {
      Set<Long> out = new TreeSet<>(versions);
      out.retainAll(available);
      return out;
    }
  }

  /** {@code specific { versions: ... }} of these versions. */
  static VersionPolicy specific(long... versions) {
    SortedSet<Long> set = new TreeSet<>();
    for (long v : versions) {
      set.add(v);
    }
    return new Specific(set);
  }

  /** TF Serving's default: the latest version. */
  static VersionPolicy latest() {
    return new Latest(1);
  }
}
