package org.tfmnist.cluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.train.Evaluation;
import org.tfmnist.train.Evaluator;
import org.tfmnist.train.listeners.Checkpoints;
import org.tfmnist.train.listeners.EventFileWriters;

/**
 * Kubeflow's {@code Evaluator} replica (and TF1 Estimator's evaluator): a task outside the cluster
 * that watches the chief's run directory, evaluates each new checkpoint on the whole test set in a
 * device-free graph of its own, appends a row to {@code <run-dir>/eval/metrics.csv} and writes
 * {@code loss} and {@code accuracy} (x: the checkpoint's global step) into TensorBoard's {@code
 * eval} run of the log directory. It exits 0 once it has evaluated a checkpoint at or past the
 * run's last step; a chief lost for good (the ps tasks' rule, {@link ChiefWatch}) ends it with one
 * line naming the chief.
 */
public final class EvaluatorTask {
  /** The evaluator's directory inside the run directory. */
  public static final String DIR_NAME = "eval";

  /** TensorBoard's run (sub-directory of the log directory) for the evaluator's events. */
  public static final String TENSORBOARD_RUN = "eval";

  static final long POLL_MS = 1_000;
  private static final int BATCH = 1000;

  private final ClusterConfig config;
  private final ModelBuilder builder;
  private final SessionOptions options;
  private final PrintStream out;

  /** The evaluator {@code config} names, building {@code builder}'s model without devices. */
  public EvaluatorTask(
      ClusterConfig config, ModelBuilder builder, SessionOptions options, PrintStream out) {
    if (!config.isEvaluator()) {
      throw new IllegalArgumentException("not the evaluator: " + config.taskName());
    }
    this.config = config;
    this.builder = builder;
    this.options = options;
    this.out = out;
  }

  /**
   * Evaluates the checkpoints of the run in {@code runDir} on {@code test} until one at or past
   * {@code lastStep}; TensorBoard events go into {@code logDir/eval}.
   */
  public void run(Path runDir, long lastStep, Dataset test, Path logDir) throws TfmnistException {
    out.println(
        "evaluator: watching "
            + runDir.resolve(Checkpoints.DIR_NAME)
            + " ("
            + config.describe()
            + ")");
    ChiefWatch chief = new ChiefWatch(config);
    EvalCsv csv = new EvalCsv(runDir.resolve(DIR_NAME).resolve(EvalCsv.FILE_NAME));
    try (Graph graph = new Graph();
        EventFileWriters events =
            new EventFileWriters(logDir, java.util.List.of(TENSORBOARD_RUN))) {
      ModelGraph model = builder.build(graph);
      try (Session session = options.open(graph);
          Evaluator evaluator = new Evaluator(session, model, BATCH)) {
        long evaluated = csv.lastStep();
        while (true) {
          Optional<Path> latest = Checkpoints.latest(runDir);
          long step = latest.isPresent() ? restore(session, model, runDir, latest.get()) : -1;
          if (step > evaluated) {
            Evaluation result = evaluator.evaluate(test);
            csv.append(step, result);
            events.scalars(
                TENSORBOARD_RUN,
                step,
                Map.of("loss", result.loss(), "accuracy", result.accuracy()));
            events.flush();
            out.printf(
                Locale.ROOT,
                "evaluated %s: step %d, test accuracy %.4f, test loss %.4f%n",
                latest.get().getFileName(),
                step,
                result.accuracy(),
                result.loss());
            evaluated = step;
          }
          if (evaluated >= lastStep) {
            out.println("run finished at step " + evaluated + ": evaluator exits");
            return;
          }
          chief.check();
          sleep();
        }
      }
    }
  }

  /**
   * Restores {@code prefix} and returns its global step; -1 when the chief replaced it meanwhile (a
   * newer checkpoint pruned the older one under the restore): the next poll takes the newer one.
   */
  private static long restore(Session session, ModelGraph model, Path runDir, Path prefix)
      throws TfmnistException {
    try {
      return Checkpoints.restore(session, model, prefix);
    } catch (TfmnistException e) {
      if (!prefix.equals(Checkpoints.latest(runDir).orElse(prefix))) {
        return -1;
      }
      throw e;
    }
  }

  private static void sleep() throws TfmnistException {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("evaluator interrupted", e);
    }
  }
}
