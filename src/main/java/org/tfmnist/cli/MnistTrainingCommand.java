package org.tfmnist.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.run.ModelExporter;
import org.tfmnist.run.RunSettings;
import org.tfmnist.run.RunSettingsBuilder;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A training command on an MNIST-format data set (MNIST, Fashion-MNIST or any directory of the four
 * IDX files) whose run ends with a SavedModel in {@code <run-dir>/saved_model}: {@code beginners},
 * {@code experts} and {@code train}.
 */
abstract class MnistTrainingCommand extends TrainingCommand {
  static final String SAVED_MODEL = "saved_model";

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--export-base",
      paramLabel = "BASE",
      description =
          "Also export the SavedModel as the next numbered version under BASE (BASE/1, BASE/2, ...),"
              + " TF Serving's layout that serve --model_base_path BASE picks up while running; allowed beside --resume.")
  Path exportBase;

  @Override
  DataSplits load(RunSettings settings, PrintStream out) throws TfmnistException {
    DataOptions source =
        resume != null ? DataOptions.of(settings.dataset(), settings.dataPath()) : data;
    DataSplits splits = source.loadAll(out);
    String problem = settings.variant().tooLargeFor(splits);
    if (problem != null) {
      throw new TfmnistException(source.directory() + ": " + problem);
    }
    return splits;
  }

  /** The shared settings, with the data set's name and directory. */
  @Override
  RunSettingsBuilder common(long steps, int epochs) {
    return super.common(steps, epochs).dataset(datasetName()).dataPath(dataDirectory());
  }

  /** The data set's name and directory, as the settings record them. */
  String datasetName() {
    return data.dataset;
  }

  Path dataDirectory() {
    try {
      return data.directory().toAbsolutePath().normalize();
    } catch (TfmnistException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  Optional<ModelExporter> exporter(RunSettings settings) {
    return Optional.of(
        new ModelExporter() {
          @Override
          public boolean isExported(Path runDir) {
            return Files.exists(runDir.resolve(SAVED_MODEL));
          }

          @Override
          public void export(Session session, ModelGraph model, Path runDir)
              throws TfmnistException {
            Path target = runDir.resolve(SAVED_MODEL);
            SavedModelExporter.export(session, model, target);
            PrintStream out = Console.out(spec);
            out.println("saved model: " + target);
            if (exportBase != null) {
              out.println(
                  "exported version: "
                      + SavedModelExporter.exportNextVersion(session, model, exportBase));
            }
          }
        });
  }
}
