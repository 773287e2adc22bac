package org.tfmnist.serving;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;

/**
 * TF Serving's model manager: serves several named models, each from a base path of numbered
 * versions ({@code BASE/1}, {@code BASE/2}, ...) under its {@link VersionPolicy} and {@code
 * version_labels} ({@link ModelConfig}). It polls the base paths, loads new versions while the
 * current ones keep answering, and retires the versions the policy drops; a retired version is
 * unloaded on the manager's own unload thread once its last request is done, so no request thread
 * ever closes a model. Versions load one at a time, or several at once ({@code
 * --num_load_threads}). {@link #apply} takes a new list of models at runtime. A single SavedModel
 * directory ({@link #forDirectory}) is served as version 1 and never polled.
 */
public final class ModelManager implements AutoCloseable {
  /** A request's hold on one version; closing it lets the version unload if it was retired. */
  public record Lease(ServableVersion servable) implements AutoCloseable {
    public long version() {
      return servable.version();
    }

    /** The loaded model of the version held. */
    public Servable model() {
      return servable.servable();
    }

    @Override
    public void close() {
      servable.release();
    }
  }

  /** The meta graph TF Serving loads unless {@code --saved_model_tags} says otherwise. */
  public static final Set<String> DEFAULT_TAGS = Set.of(LoadOptions.SERVE);

  private final ServedModel.Opener loader;
  private final BatchScheduler batcher;
  private final PrintStream log;
  private final ExecutorService unloader;
  private final LoadThreads loads;
  private final boolean labelsForUnavailable;
  private final Object configLock = new Object();
  private volatile Map<String, ServedModel> models = Map.of();
  private ScheduledExecutorService poller;

  private ModelManager(
      LoadOptions load,
      VersionLoader.ServableOpener opener,
      BatchingOptions batching,
      BatchListener batchListener,
      PrintStream log) {
    this.batcher = batching.enabled() ? new BatchScheduler(batching, batchListener) : null;
    VersionLoader versions = new VersionLoader(opener, batcher, this::unloadLater, load.warmup());
    this.loader = RetryingOpener.wrap(versions::open, load, log);
    this.log = log;
    this.unloader =
        Executors.newFixedThreadPool(
            Math.max(1, load.unloadThreads()), ServingThreads.daemon("model-unload"));
    this.loads = new LoadThreads(load.loadThreads());
    this.labelsForUnavailable = load.allowVersionLabelsForUnavailableModels();
  }

  private static VersionLoader.ServableOpener savedModels(LoadOptions load) {
    return VersionLoader.savedModels(load.savedModelTags(), load.session());
  }

  /**
   * Serves the SavedModel in {@code dir} as version 1 of {@code name}; fails with a one-line error
   * if it does not load.
   */
  public static ModelManager forDirectory(
      String name, Path dir, BatchingOptions batching, BatchListener batchListener, PrintStream log)
      throws TfmnistException {
    return forDirectory(name, dir, LoadOptions.defaults(), batching, batchListener, log);
  }

  /** As above, every version loaded as {@code load} says (session, tags, warm-up, retries). */
  public static ModelManager forDirectory(
      String name,
      Path dir,
      LoadOptions load,
      BatchingOptions batching,
      BatchListener batchListener,
      PrintStream log)
      throws TfmnistException {
    ModelManager m = new ModelManager(load, savedModels(load), batching, batchListener, log);
    try {
      m.models = Map.of(name, ServedModel.single(name, dir, m.loader, log));
    } catch (TfmnistException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /**
   * TF Serving's {@code --model_name/--model_base_path}: the latest version under {@code base},
   * polled every {@code pollWait} (zero: never), every version loaded as {@code load} says.
   */
  public static ModelManager forBasePath(
      String name,
      Path base,
      Duration pollWait,
      LoadOptions load,
      BatchingOptions batching,
      BatchListener batchListener,
      PrintStream log)
      throws TfmnistException {
    return forConfigs(
        List.of(ModelConfig.latest(name, base)), pollWait, load, batching, batchListener, log);
  }

  /**
   * Serves {@code configs}, loading what their policies select now (a version that does not load is
   * passed over for the next one its policy allows); base paths are polled every {@code pollWait}
   * (zero: never).
   */
  public static ModelManager forConfigs(
      List<ModelConfig> configs,
      Duration pollWait,
      LoadOptions load,
      BatchingOptions batching,
      BatchListener batchListener,
      PrintStream log)
      throws TfmnistException {
    ModelManager m = withOpener(configs, load, savedModels(load), batching, batchListener, log);
    if (!pollWait.isZero()) {
      m.poller = Executors.newSingleThreadScheduledExecutor(ServingThreads.daemon("model-poll"));
      m.poller.scheduleWithFixedDelay(
          m::pollQuietly, pollWait.toMillis(), pollWait.toMillis(), TimeUnit.MILLISECONDS);
    }
    return m;
  }

  /**
   * As {@link #forConfigs}, never polled, every version opened by {@code opener}: the seam that
   * lets lifecycle tests serve a fake {@link Servable}.
   */
  static ModelManager withOpener(
      List<ModelConfig> configs,
      LoadOptions load,
      VersionLoader.ServableOpener opener,
      BatchingOptions batching,
      BatchListener batchListener,
      PrintStream log)
      throws TfmnistException {
    ModelManager m = new ModelManager(load, opener, batching, batchListener, log);
    try {
      m.apply(configs);
    } catch (TfmnistException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /**
   * Makes {@code configs} the models served: new names are loaded, missing names retired, changed
   * policies and labels applied (a changed base path loads the new one before retiring the old).
   * The list is checked first (names unique and URL-safe, base paths existing directories, labels
   * on AVAILABLE versions, as TF Serving's {@code --allow_version_labels_for_unavailable_models}
   * rule says): on a one-line error nothing changes.
   */
  public void apply(List<ModelConfig> configs) throws TfmnistException {
    ModelConfig.checkAll(configs);
    synchronized (configLock) {
      VersionLabels.check(configs, models, labelsForUnavailable);
      ConfigTransition.Result next = ConfigTransition.apply(models, configs, loader, loads, log);
      models = next.models();
      next.retired().forEach(ServedModel::retireAll);
    }
  }

  /** The names of the models served, in configuration order. */
  public List<String> names() {
    return List.copyOf(models.keySet());
  }

  /** Whether {@code model} is one of the models served. */
  public boolean serves(String model) {
    return models.containsKey(model);
  }

  /** The first model's name (the page's model); "" when none is served. */
  public String name() {
    List<String> names = names();
    return names.isEmpty() ? "" : names.get(0);
  }

  /** Where the first model's versions come from: its base path or SavedModel directory. */
  public Path source() {
    ServedModel m = models.get(name());
    return m == null ? null : m.source();
  }

  /** The first model's highest loaded version, or -1 while none is loaded. */
  public long latestLoaded() {
    return latestLoaded(name());
  }

  /** {@code model}'s highest loaded version, or -1. */
  public long latestLoaded(String model) {
    ServedModel m = models.get(model);
    return m == null ? -1 : m.latestLoaded();
  }

  /** {@link #lease(String, Long, String)} without a label. */
  public Lease lease(String model, Long version) throws ApiException {
    return lease(model, version, null);
  }

  /**
   * Holds the version asked for ({@code version} or {@code label}; both null: the latest) for one
   * request, with TF Serving's errors: 404 for an unknown model or version, 400 for an unknown
   * label.
   */
  public Lease lease(String model, Long version, String label) throws ApiException {
    ServedModel m = models.get(model);
    if (m == null) {
      String request =
          version == null ? "Latest(" + model + ")" : "Specific(" + model + ", " + version + ")";
      throw new ApiException(404, "Servable not found for request: " + request);
    }
    return m.lease(version, label);
  }

  /** {@link #status(String, Long, String)} without a label. */
  public List<VersionStatus> status(String model, Long version) throws ApiException {
    return status(model, version, null);
  }

  /** {@code model_version_status}: every version seen, or the one asked for (number or label). */
  public List<VersionStatus> status(String model, Long version, String label) throws ApiException {
    ServedModel m = models.get(model);
    if (m == null) {
      throw new ApiException(404, "Could not find any versions of model " + model);
    }
    return m.status(version, label);
  }

  /** One poll of every base path (the poller's job; tests call it to avoid waiting). */
  public void poll() {
    loads.poll(models.values().stream().map(m -> (Runnable) () -> m.poll(false)).toList());
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.println("error: polling the model base paths: " + e);
    }
  }

  /** Unloads on the unload thread; inline once the manager has closed. */
  private void unloadLater(Runnable unload) {
    try {
      unloader.execute(unload);
    } catch (RejectedExecutionException e) {
      unload.run();
    }
  }

  /**
   * Stops polling, retires every version, and waits (up to 30 s) for those no request holds to
   * unload; a version still held unloads when its last request ends.
   */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
      ServingThreads.await(poller);
    }
    synchronized (configLock) {
      models.values().forEach(ServedModel::retireAll);
      models = Map.of();
    }
    loads.close(); // a load still in flight ends, and its version unloads on the unload thread
    unloader.shutdown();
    ServingThreads.await(unloader);
    if (batcher != null) {
      batcher.close();
    }
  }
}
