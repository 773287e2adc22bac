package org.tfmnist.serving;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;

/**
 * Re-reads TF Serving's {@code --model_config_file} every {@code
 * --model_config_file_poll_wait_seconds} and applies it with {@link ModelManager#apply} when it
 * differs from what it last applied (as TF Serving, a config sent by {@code
 * HandleReloadConfigRequest} lasts until the file changes). A file that does not parse or apply
 * leaves the models served as they were and is logged once, as one line naming the file and the
 * field.
 */
public final class ModelConfigPoller implements AutoCloseable {
  private final Path file;
  private final ModelManager models;
  private final PrintStream log;
  private final ScheduledExecutorService timer;
  private List<ModelConfig> applied;
  private String failed;

  private ModelConfigPoller(
      Path file, ModelManager models, List<ModelConfig> applied, PrintStream log) {
    this.file = file;
    this.models = models;
    this.applied = applied;
    this.log = log;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "model-config-poll");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Polls {@code file}, whose configs {@code applied} {@code models} serves now, every {@code wait}
   * (not zero).
   */
  public static ModelConfigPoller start(
      Path file, ModelManager models, List<ModelConfig> applied, Duration wait, PrintStream log) {
    ModelConfigPoller poller = new ModelConfigPoller(file, models, applied, log);
    poller.timer.scheduleWithFixedDelay(
        poller::pollQuietly, wait.toMillis(), wait.toMillis(), TimeUnit.MILLISECONDS);
    return poller;
  }

  /**
   * Reads the file once and applies it if it changed; true when it applied a new config. A bad file
   * is logged (once while it stays the same) and the old config kept.
   */
  public synchronized boolean poll() {
    List<ModelConfig> next;
    try {
      next = ModelConfigFile.read(file);
      if (next.equals(applied)) {
        failed = null;
        return false;
      }
      models.apply(next);
    } catch (TfmnistException e) {
      if (!e.getMessage().equals(failed)) {
        log.println("error: " + e.getMessage() + "; still serving the previous config");
        failed = e.getMessage();
      }
      return false;
    }
    applied = next;
    failed = null;
    log.println("model config " + file + ": now serving " + names(next));
    return true;
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.println("error: polling " + file + ": " + e);
    }
  }

  private static String names(List<ModelConfig> configs) {
    return String.join(", ", configs.stream().map(ModelConfig::name).toList());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
