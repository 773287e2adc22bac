package org.tfmnist.serving;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.tfmnist.TfmnistException;
import org.tfmnist.inference.Predictor;

/**
 * TF Serving's model manager for one model: serves the latest numbered version under a base path
 * ({@code BASE/1}, {@code BASE/2}, ...), polls the base path and loads a newer version while the
 * current one keeps answering, then retires the old one (unloaded when its last request is done). A
 * version directory is loaded only once it holds {@code saved_model.pb} and its files stayed
 * unchanged over one poll interval; names starting with a dot (exports in progress) are ignored. A
 * single SavedModel directory is served as version 1 and never polled.
 */
public final class ModelManager implements AutoCloseable {
  /** A request's hold on one version; closing it lets the version unload if it was retired. */
  public record Lease(ServableVersion servable) implements AutoCloseable {
    public long version() {
      return servable.version();
    }

    public Predictor predictor() {
      return servable.predictor();
    }

    @Override
    public void close() {
      servable.release();
    }
  }

  private final String name;
  private final Path base;
  private final Path single;
  private final BatchingOptions batching;
  private final IntConsumer batchSizes;
  private final PrintStream log;
  private final TreeMap<Long, VersionStatus> states = new TreeMap<>();
  private final Map<Long, String> lastFingerprint = new HashMap<>();
  private final Map<Long, String> failedFingerprint = new HashMap<>();
  private volatile ServableVersion current;
  private ScheduledExecutorService poller;
  private final Object pollLock = new Object();

  private ModelManager(
      String name,
      Path base,
      Path single,
      BatchingOptions batching,
      IntConsumer batchSizes,
      PrintStream log) {
    this.name = name;
    this.base = base;
    this.single = single;
    this.batching = batching;
    this.batchSizes = batchSizes;
    this.log = log;
  }

  /**
   * Serves the SavedModel in {@code dir} as version 1; fails with a one-line error if it does not
   * load.
   */
  public static ModelManager forDirectory(
      String name, Path dir, BatchingOptions batching, IntConsumer batchSizes, PrintStream log)
      throws TfmnistException {
    ModelManager m = new ModelManager(name, null, dir, batching, batchSizes, log);
    m.install(1, Predictor.load(dir));
    return m;
  }

  /**
   * Serves the latest version under {@code base}, polled every {@code pollWait} (zero: never).
   * Loads the latest version now if there is one (a one-line error if it does not load).
   */
  public static ModelManager forBasePath(
      String name,
      Path base,
      Duration pollWait,
      BatchingOptions batching,
      IntConsumer batchSizes,
      PrintStream log)
      throws TfmnistException {
    if (!Files.isDirectory(base)) {
      throw new TfmnistException(
          base
              + ": no such directory (expected a model base path holding version directories 1, 2, ...)");
    }
    ModelManager m = new ModelManager(name, base, null, batching, batchSizes, log);
    Long latest = m.latestVersion();
    if (latest != null) {
      m.install(latest, Predictor.load(base.resolve(Long.toString(latest))));
    }
    if (!pollWait.isZero()) {
      m.poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "model-poll-" + name);
                t.setDaemon(true);
                return t;
              });
      m.poller.scheduleWithFixedDelay(
          m::pollQuietly, pollWait.toMillis(), pollWait.toMillis(), TimeUnit.MILLISECONDS);
    }
    return m;
  }

  /** The model's name in URLs. */
  public String name() {
    return name;
  }

  /** Where versions come from: the base path, or the single SavedModel directory. */
  public Path source() {
    return base != null ? base : single;
  }

  /** The version answering unversioned requests now, or -1 while none is loaded. */
  public long latestLoaded() {
    ServableVersion v = current;
    return v == null ? -1 : v.version();
  }

  /**
   * Holds the version asked for ({@code version} null: the latest) for one request. Unknown models
   * and versions get TF Serving's 404 messages.
   */
  public Lease lease(String model, Long version) throws ApiException {
    String request =
        version == null ? "Latest(" + model + ")" : "Specific(" + model + ", " + version + ")";
    if (!model.equals(name)) {
      throw new ApiException(404, "Servable not found for request: " + request);
    }
    while (true) {
      ServableVersion v = current;
      if (v == null || (version != null && v.version() != version)) {
        throw new ApiException(404, "Servable not found for request: " + request);
      }
      if (v.acquire()) {
        return new Lease(v);
      }
      // retired between the read and the acquire: a newer version is current now
    }
  }

  /** {@code model_version_status}: every version seen ({@code version} null) or one of them. */
  public synchronized List<VersionStatus> status(String model, Long version) throws ApiException {
    if (!model.equals(name) || states.isEmpty()) {
      throw new ApiException(404, "Could not find any versions of model " + model);
    }
    if (version != null) {
      VersionStatus s = states.get(version);
      if (s == null) {
        throw new ApiException(404, "Could not find version " + version + " of model " + model);
      }
      return List.of(s);
    }
    return new ArrayList<>(states.descendingMap().values());
  }

  /** One poll of the base path (the poller's job; tests call it to avoid waiting). */
  public void poll() {
    if (base == null) {
      return;
    }
    synchronized (pollLock) {
      pollOnce();
    }
  }

  private void pollOnce() {
    Long latest = latestVersion();
    ServableVersion now = current;
    if (latest == null || (now != null && now.version() == latest)) {
      return;
    }
    Path dir = base.resolve(Long.toString(latest));
    String fingerprint = fingerprint(dir);
    String before = lastFingerprint.put(latest, fingerprint);
    if (fingerprint.equals(failedFingerprint.get(latest)) || !fingerprint.equals(before)) {
      return; // failed to load as it is, or still changing: look again next poll
    }
    setState(latest, VersionStatus.ok(latest, "LOADING"));
    try {
      install(latest, Predictor.load(dir));
      failedFingerprint.remove(latest);
    } catch (TfmnistException e) {
      failedFingerprint.put(latest, fingerprint);
      setState(latest, new VersionStatus(latest, "END", "UNKNOWN", e.getMessage()));
      log.println("error: model '" + name + "' version " + latest + ": " + e.getMessage());
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.println("error: polling " + base + ": " + e);
    }
  }

  private void install(long version, Predictor predictor) {
    Batcher batcher =
        batching.enabled()
            ? new Batcher(
                predictor,
                batching.maxBatchSize(),
                batching.batchTimeoutMicros(),
                batching.threads(),
                name + "-" + version,
                batchSizes)
            : null;
    ServableVersion next =
        new ServableVersion(version, predictor, batcher, () -> unloaded(version));
    ServableVersion old;
    synchronized (this) {
      old = current;
      current = next;
      states.put(version, VersionStatus.ok(version, "AVAILABLE"));
      if (old != null) {
        states.put(old.version(), VersionStatus.ok(old.version(), "UNLOADING"));
      }
    }
    log.println("model '" + name + "' version " + version + " AVAILABLE (" + predictor.dir() + ")");
    if (old != null) {
      old.retire();
    }
  }

  private void unloaded(long version) {
    setState(version, VersionStatus.ok(version, "END"));
    log.println("model '" + name + "' version " + version + " unloaded");
  }

  private synchronized void setState(long version, VersionStatus status) {
    states.put(version, status);
  }

  /** The highest version directory with a saved_model.pb, or null. */
  private Long latestVersion() {
    Long latest = null;
    try (Stream<Path> entries = Files.list(base)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String n = p.getFileName().toString();
        if (!n.matches("[0-9]{1,18}") || !Files.isRegularFile(p.resolve("saved_model.pb"))) {
          continue;
        }
        long v = Long.parseLong(n);
        if (latest == null || v > latest) {
          latest = v;
        }
      }
    } catch (IOException e) {
      log.println("error: " + base + ": cannot list: " + e.getMessage());
    }
    return latest;
  }

  /**
   * Names, sizes and modification times of every file under {@code dir}: equal twice means it
   * stopped changing.
   */
  private static String fingerprint(Path dir) {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        sb.append(dir.relativize(p))
            .append(':')
            .append(Files.size(p))
            .append(':')
            .append(Files.getLastModifiedTime(p).toMillis())
            .append(';');
      }
    } catch (IOException | RuntimeException e) {
      return "unreadable:" + System.nanoTime(); // never equal twice: try again next poll
    }
    return sb.toString();
  }

  /** Stops polling and unloads every version once its requests are done. */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
      try {
        poller.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ServableVersion v;
    synchronized (this) {
      v = current;
      current = null;
    }
    if (v != null) {
      v.retire();
    }
  }
}
