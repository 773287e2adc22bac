package org.tfmnist.train.listeners;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TInt64;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingContext;
import org.tfmnist.train.TrainingListener;

/**
 * The tutorial's {@code tf.train.Saver}: saves every variable (weights, optimiser slots, global
 * step) with {@code Session.save} into {@code <run-dir>/checkpoint/ckpt-STEP.*} at the end of every
 * epoch; its files and the directory are fsynced, and only then is the {@code latest} file pointed
 * at it (written, fsynced, renamed). A process killed or a machine losing power mid-save leaves
 * {@code latest} on the previous, complete checkpoint; a save that fails (a full disk) deletes its
 * own partial files. Older checkpoints are deleted once the new one is live; failing to delete them
 * is a warning, never a failed save.
 */
public final class Checkpoints implements TrainingListener {
  public static final String DIR_NAME = "checkpoint";
  static final String LATEST = "latest";

  /** Deletes the checkpoints older than the one just made live. */
  interface Pruner {
    void deleteAllBut(String keep) throws IOException;
  }

  private final Path dir;
  private final PrintStream warnings;
  private final Pruner pruner;
  private final boolean keepEveryEpoch;
  private Session session;

  /**
   * Checkpoints in {@code runDir/checkpoint}; a failure to delete old ones is a warning on stderr.
   */
  public Checkpoints(Path runDir) {
    this(runDir, false);
  }

  /** With {@code keepEveryEpoch}, older checkpoints are kept (see {@link #at}). */
  public Checkpoints(Path runDir, boolean keepEveryEpoch) {
    this(runDir, System.err, keepEveryEpoch);
  }

  /** As {@link #Checkpoints(Path, boolean)}, with warnings on {@code warnings}. */
  public Checkpoints(Path runDir, PrintStream warnings, boolean keepEveryEpoch) {
    this(runDir, warnings, null, keepEveryEpoch);
  }

  /**
   * As {@link #Checkpoints(Path)}, with {@code pruner} deleting old checkpoints (null: default).
   */
  Checkpoints(Path runDir, PrintStream warnings, Pruner pruner) {
    this(runDir, warnings, pruner, false);
  }

  private Checkpoints(Path runDir, PrintStream warnings, Pruner pruner, boolean keepEveryEpoch) {
    this.dir = runDir.resolve(DIR_NAME);
    this.warnings = warnings;
    this.pruner = pruner != null ? pruner : this::deleteAllBut;
    this.keepEveryEpoch = keepEveryEpoch;
  }

  @Override
  public void onTrainBegin(TrainingContext context) throws TfmnistException {
    this.session = context.session();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TfmnistException(
          dir + ": cannot create checkpoint directory: " + e.getMessage(), e);
    }
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics) throws TfmnistException {
    save(metrics.step());
  }

  /** Saves the session's variables as checkpoint {@code step} and makes it the latest. */
  public void save(long step) throws TfmnistException {
    String name = "ckpt-" + step;
    boolean live = false;
    try {
      session.save(dir.resolve(name).toString());
      fsyncCheckpoint(name);
      DurableFiles.write(dir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.US_ASCII));
      live = true;
    } catch (IOException | RuntimeException e) {
      if (!live) {
        deleteCheckpoint(name);
      }
      throw new TfmnistException(
          dir
              + ": cannot save checkpoint "
              + name
              + ": "
              + TfmnistException.firstLine(e.getMessage()),
          e);
    }
    if (!keepEveryEpoch) {
      prune(name);
    }
  }

  /**
   * Deletes the older checkpoints; a failure (a file held, a disk gone read-only) is a warning, not
   * the end of a run whose new checkpoint is saved and live.
   */
  private void prune(String keep) {
    try {
      pruner.deleteAllBut(keep);
    } catch (IOException | RuntimeException e) {
      warnings.println(
          "warning: "
              + dir
              + ": checkpoint "
              + keep
              + " is saved, but older checkpoints could not be deleted: "
              + TfmnistException.firstLine(String.valueOf(e.getMessage())));
    }
  }

  private void fsyncCheckpoint(String name) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name + ".*")) {
      for (Path file : files) {
        DurableFiles.fsync(file);
      }
    }
    DurableFiles.fsyncDirectory(dir);
  }

  /**
   * Best effort: removes a failed save's files (and TensorFlow's temporaries) so none looks
   * complete.
   */
  private void deleteCheckpoint(String name) {
    String current = currentName();
    if (name.equals(current)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name + "*")) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(name + ".") || fileName.startsWith(name + "_")) {
          DurableFiles.deleteTreeQuietly(file);
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // left behind only if the directory cannot be listed; latest still names a complete one
    }
  }

  private String currentName() {
    try {
      return Files.readString(dir.resolve(LATEST), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private void deleteAllBut(String keep) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "ckpt-*")) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (!fileName.startsWith(keep + ".")) {
          DurableFiles.deleteTreeQuietly(file);
        }
      }
    }
  }

  /** The prefix of the latest complete checkpoint in {@code runDir}, if there is one. */
  public static Optional<Path> latest(Path runDir) throws TfmnistException {
    Path dir = runDir.resolve(DIR_NAME);
    Path pointer = dir.resolve(LATEST);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    try {
      String name = Files.readString(pointer).trim();
      if (!name.matches("ckpt-\\d+") || !Files.exists(dir.resolve(name + ".index"))) {
        throw new TfmnistException(
            pointer + ": names a missing or malformed checkpoint '" + name + "'");
      }
      return Optional.of(dir.resolve(name));
    } catch (IOException e) {
      throw new TfmnistException(pointer + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The prefix of the complete checkpoint saved at {@code step} in {@code runDir}, if kept. */
  public static Optional<Path> at(Path runDir, long step) {
    Path prefix = runDir.resolve(DIR_NAME).resolve("ckpt-" + step);
    return Files.exists(Path.of(prefix + ".index")) ? Optional.of(prefix) : Optional.empty();
  }

  /** Restores {@code prefix} into {@code session} and returns the restored global step. */
  public static long restore(Session session, ModelGraph model, Path prefix)
      throws TfmnistException {
    try {
      session.restore(prefix.toString());
    } catch (RuntimeException e) {
      throw new TfmnistException(
          prefix
              + ": cannot restore checkpoint (not from this model?): "
              + TfmnistException.firstLine(e.getMessage()),
          e);
    }
    try (Result result = session.runner().fetch(model.globalStep()).run()) {
      return ((TInt64) result.get(0)).getLong();
    }
  }
}
