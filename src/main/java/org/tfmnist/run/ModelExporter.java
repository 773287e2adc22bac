package org.tfmnist.run;

import java.nio.file.Path;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.ModelGraph;

/**
 * How a training run hands its trained model on once training ends (the SavedModel export lives in
 * the serving layer, which the run does not import). {@link TrainingRun} calls it after the last
 * step, and asks it whether a run directory already holds the export (a finished run).
 */
public interface ModelExporter {
  /** Whether {@code runDir} already holds this exporter's output. */
  boolean isExported(Path runDir);

  /** Exports the trained {@code model} of {@code session} for the run in {@code runDir}. */
  void export(Session session, ModelGraph model, Path runDir) throws TfmnistException;
}
