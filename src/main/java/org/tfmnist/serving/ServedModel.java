package org.tfmnist.serving;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.tfmnist.TfmnistException;

/**
 * One named model: the versions its policy selects from its base path, loaded, answering and
 * retired as the base path and the policy change. A newer version is loaded before an older one it
 * replaces is retired, so requests never see a gap; a version that fails to load is recorded (state
 * END, its error) and the policy falls back to the versions that do load. The versions a poll
 * chooses wait in START and load on {@link LoadThreads} (one at a time, or several at once); a
 * version whose load ends after its model was retired is unloaded at once. A single SavedModel
 * directory is served as version 1 and never polled.
 */
final class ServedModel {
  /** Opens one version; {@code onUnloaded} runs once it has been unloaded. */
  interface Opener {
    ServableVersion open(String model, long version, Path dir, Runnable onUnloaded)
        throws TfmnistException;
  }

  private final String name;
  private final VersionDirectories dirs; // null: a single SavedModel directory
  private final Path source;
  private final Opener opener;
  private final LoadThreads loads;
  private final PrintStream log;
  private final Object pollLock = new Object();
  private boolean retired; // guarded by this: removed from the config, or the server stopped
  private volatile ModelConfig config;
  private final TreeMap<Long, ServableVersion> loaded = new TreeMap<>(); // guarded by this
  private final TreeMap<Long, VersionStatus> states = new TreeMap<>(); // guarded by this

  private ServedModel(
      String name,
      ModelConfig config,
      Path single,
      Opener opener,
      LoadThreads loads,
      PrintStream log) {
    this.name = name;
    this.config = config;
    this.dirs = config == null ? null : new VersionDirectories(config.basePath());
    this.source = config == null ? single : config.basePath();
    this.opener = opener;
    this.loads = loads;
    this.log = log;
  }

  /** Serves {@code dir} as version 1; a one-line error if it does not load. */
  static ServedModel single(String name, Path dir, Opener opener, PrintStream log)
      throws TfmnistException {
    ServedModel m = new ServedModel(name, null, dir, opener, null, log);
    ServableVersion v = opener.open(name, 1, dir, () -> m.unloaded(1));
    m.installed(1, v, dir);
    return m;
  }

  /**
   * A model for {@code config} with nothing loaded yet: its first {@link #poll} (with {@code
   * trustNow}) loads what its policy selects, a version that does not load skipped for the next.
   */
  static ServedModel create(ModelConfig config, Opener opener, LoadThreads loads, PrintStream log)
      throws TfmnistException {
    if (!Files.isDirectory(config.basePath())) {
      throw new TfmnistException(
          config.basePath()
              + ": no such directory (expected the base path of model '"
              + config.name()
              + "', holding version directories 1, 2, ...)");
    }
    return new ServedModel(config.name(), config, null, opener, loads, log);
  }

  String name() {
    return name;
  }

  Path source() {
    return source;
  }

  ModelConfig config() {
    return config;
  }

  /** Takes a new policy and labels (same base path); the next {@link #poll} applies them. */
  void reconfigure(ModelConfig next) {
    config = next;
  }

  /** Whether {@code version} is AVAILABLE now. */
  synchronized boolean available(long version) {
    return loaded.containsKey(version);
  }

  /** The highest version loaded, or -1. */
  synchronized long latestLoaded() {
    return loaded.isEmpty() ? -1 : loaded.lastKey();
  }

  /**
   * Looks at the base path once and loads and retires versions as the policy says. With {@code
   * trustNow} (start-up, a new config) a version is loaded at first sight; otherwise only once its
   * files stayed unchanged since the last poll.
   */
  void poll(boolean trustNow) {
    if (dirs == null) {
      return;
    }
    synchronized (pollLock) {
      if (isRetired()) {
        return; // a poller's snapshot of the models may still hold it: never load again
      }
      NavigableMap<Long, Path> onDisk;
      try {
        onDisk = dirs.scan();
      } catch (IOException e) {
        log.println("error: model '" + name + "': cannot list " + dirs.base() + ": " + e);
        return;
      }
      NavigableSet<Long> candidates = dirs.candidates(onDisk, loadedVersions(), trustNow);
      while (!isRetired()) {
        Set<Long> wanted = config.policy().select(candidates);
        List<Long> missing = missing(wanted);
        if (missing.isEmpty()) {
          retireAllBut(wanted);
          return;
        }
        missing.forEach(v -> setState(v, VersionStatus.ok(v, VersionStatus.State.START)));
        List<Boolean> ok =
            loads.load(
                missing.stream()
                    .map(v -> (Supplier<Boolean>) () -> load(v, onDisk.get(v)))
                    .toList());
        for (int i = 0; i < missing.size(); i++) {
          long v = missing.get(i);
          if (ok.get(i)) {
            dirs.loaded(v);
          } else {
            dirs.failed(v, onDisk.get(v));
            candidates.remove(v);
          }
        }
      }
    }
  }

  private synchronized boolean isRetired() {
    return retired;
  }

  private synchronized Set<Long> loadedVersions() {
    return new TreeSet<>(loaded.keySet());
  }

  /** The versions in {@code wanted} not loaded, highest first (the order they load in). */
  private synchronized List<Long> missing(Set<Long> wanted) {
    return wanted.stream()
        .filter(v -> !loaded.containsKey(v))
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  /** Loads one version (on a load thread); false if it did not load (or was not needed anymore). */
  private boolean load(long version, Path dir) {
    if (isRetired()) {
      setState(version, VersionStatus.ok(version, VersionStatus.State.END));
      return false;
    }
    setState(version, VersionStatus.ok(version, VersionStatus.State.LOADING));
    try {
      ServableVersion v = opener.open(name, version, dir, () -> unloaded(version));
      installed(version, v, dir);
      return true;
    } catch (TfmnistException | RuntimeException e) {
      String message = LoadErrors.forClients(e.getMessage(), dir, dirs.base(), version);
      setState(version, new VersionStatus(version, VersionStatus.State.END, "UNKNOWN", message));
      log.println("error: model '" + name + "' version " + version + ": " + e.getMessage());
      return false;
    }
  }

  /** Serves a loaded version; one whose model was retired while it loaded is unloaded at once. */
  private void installed(long version, ServableVersion v, Path dir) {
    boolean late;
    synchronized (this) {
      late = retired;
      if (!late) {
        loaded.put(version, v);
      }
      VersionStatus.State state =
          late ? VersionStatus.State.UNLOADING : VersionStatus.State.AVAILABLE;
      states.put(version, VersionStatus.ok(version, state));
    }
    if (late) {
      log.println(
          "model '" + name + "' version " + version + " loaded after its model was retired");
      v.retire();
      return;
    }
    log.println("model '" + name + "' version " + version + " AVAILABLE (" + dir + ")");
  }

  private void retireAllBut(Set<Long> keep) {
    List<ServableVersion> retired = new ArrayList<>();
    synchronized (this) {
      for (Long v : new ArrayList<>(loaded.keySet())) {
        if (!keep.contains(v)) {
          retired.add(loaded.remove(v));
          states.put(v, VersionStatus.ok(v, VersionStatus.State.UNLOADING));
        }
      }
    }
    retired.forEach(ServableVersion::retire);
  }

  /** Retires every version for good (the model is removed, or the server stops). */
  void retireAll() {
    synchronized (this) {
      retired = true; // a load in flight unloads its version as it ends
    }
    retireAllBut(Set.of());
  }

  private void unloaded(long version) {
    setState(version, VersionStatus.ok(version, VersionStatus.State.END));
    log.println("model '" + name + "' version " + version + " unloaded");
  }

  private synchronized void setState(long version, VersionStatus status) {
    states.put(version, status);
  }

  /**
   * Holds the version asked for (by number, by label, or the latest when both are null) for one
   * request, with TF Serving's errors for an unknown label (400) or version (404).
   */
  ModelManager.Lease lease(Long version, String label) throws ApiException {
    Long v = label != null ? labelled(label) : version;
    String request = v == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + v + ")";
    while (true) {
      ServableVersion s;
      synchronized (this) {
        s = v == null ? (loaded.isEmpty() ? null : loaded.lastEntry().getValue()) : loaded.get(v);
      }
      if (s == null) {
        throw new ApiException(404, "Servable not found for request: " + request);
      }
      if (s.acquire()) {
        return new ModelManager.Lease(s);
      }
      // retired between the read and the acquire: look again
    }
  }

  /** {@code model_version_status}: every version seen, or the one asked for by number or label. */
  synchronized List<VersionStatus> status(Long version, String label) throws ApiException {
    Long v = label != null ? labelled(label) : version;
    if (states.isEmpty()) {
      throw new ApiException(404, "Could not find any versions of model " + name);
    }
    if (v != null) {
      VersionStatus s = states.get(v);
      if (s == null) {
        throw new ApiException(404, "Could not find version " + v + " of model " + name);
      }
      return List.of(s);
    }
    return new ArrayList<>(states.descendingMap().values());
  }

  private Long labelled(String label) throws ApiException {
    Map<String, Long> labels = config == null ? Map.of() : config.labels();
    Long v = labels.get(label);
    if (v == null) {
      throw new ApiException(400, "Unrecognized servable version label: " + label);
    }
    return v;
  }
}
