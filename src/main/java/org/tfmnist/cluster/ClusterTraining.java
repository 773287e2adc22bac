package org.tfmnist.cluster;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.exceptions.TensorFlowException;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.run.RunDirectory;
import org.tfmnist.run.TrainingRun;

/**
 * Runs a training command as {@code config}'s task: a ps task serves until the chief reports the
 * run finished; the chief starts the run in {@code runDir}, or resumes it from its last checkpoint
 * when the directory already holds the run (a restarted chief, started with the same command line);
 * a worker trains on its shard and writes nothing. A TensorFlow error is turned into one line
 * naming the lost task.
 */
public final class ClusterTraining {
  private ClusterTraining() {}

  /** Starts this task's server; a ps task then serves and returns when the run is finished. */
  public static ClusterServer startServer(ClusterConfig config, PrintStream out)
      throws TfmnistException {
    ClusterServer server = ClusterServer.start(config);
    out.println("cluster task " + config.describe() + " on " + config.address());
    return server;
  }

  /** Serves as the ps task {@code config} names, until the run is finished. */
  public static void serve(ClusterConfig config, ClusterServer server, PrintStream out)
      throws TfmnistException {
    try {
      PsTask.serve(config, server, out);
    } catch (TensorFlowException e) {
      throw LostTask.explain(config, e);
    }
  }

  /**
   * Trains as the chief or a worker ({@code sync}: synchronous replicas), watched by a {@link
   * TaskWatchdog}: {@code run} must have been made with a {@link ClusterTarget} for {@code config}.
   * Returns the chief's run directory (null on a worker). The watchdog warns on {@code err}.
   */
  public static Path train(
      ClusterConfig config,
      boolean sync,
      TrainingRun run,
      Path runDir,
      DataSplits splits,
      PrintStream err)
      throws TfmnistException {
    TaskWatchdog watchdog = new TaskWatchdog(config, sync, err);
    watchdog.start();
    try {
      if (!config.isChief()) {
        run.follow(splits);
        return null;
      }
      if (runDir != null && Files.exists(runDir.resolve(RunDirectory.SETTINGS))) {
        run.resume(runDir, splits);
        return runDir;
      }
      return run.start(runDir, splits);
    } catch (TensorFlowException e) {
      throw LostTask.explain(config, e);
    } catch (TfmnistException e) {
      throw LostTask.explain(config, e);
    } finally {
      watchdog.stop();
    }
  }
}
