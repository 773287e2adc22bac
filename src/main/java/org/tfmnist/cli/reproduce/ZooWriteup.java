package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.ModelZoo;
import org.tfmnist.report.MetricsTable;

/**
 * 004, the Keras zoo ({@code 004_96847acfb119240e.txt}): MLP512, MLP2048, the small CNN and the
 * VGG-style CNN, each 50 epochs of batch 32 with {@code validation_split=0.1}; then the same four
 * on shuffled training labels, 500 epochs, the same validation split, and VGG without dropout
 * beside them. Both results tables in the write-up's shape, and each model's lowest validation loss
 * from its history.
 */
final class ZooWriteup implements Protocol {
  /** The zoo in the write-up's order, with its final test accuracy as it prints it. */
  private record Model(String name, String published) {}

  private static final List<Model> MODELS =
      List.of(
          new Model("mlp512", "98.47"),
          new Model("mlp2048", "98.33"),
          new Model("cnn-small", "98.79"),
          new Model("cnn-vgg", "99.34"));

  static final int EPOCHS = 50;
  static final int SHUFFLED_EPOCHS = 500;
  static final String VALIDATION_SPLIT = "0.1";
  static final String FULL = "full MNIST (54,000 / 6,000 validation / 10,000)";

  /**
   * One run of the protocol: its label in the tables, its model, its dropout keep probability
   * (Keras' {@code Dropout(0.25)}: 0.75) and extra options.
   */
  record ZooRun(String label, String model, String keepProb, List<String> extra) {}

  static final String KERAS_KEEP_PROB = "0.75";

  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    List<Model> models = models(r);
    int epochs = r.epochs(EPOCHS, "zoo, validation split");
    List<Path> trueDirs = new ArrayList<>();
    for (Model m : models) {
      trueDirs.add(
          train(
              r,
              "004-" + m.name(),
              new ZooRun(m.name(), m.name(), KERAS_KEEP_PROB, List.of()),
              epochs));
    }
    int shuffledEpochs = r.epochs(SHUFFLED_EPOCHS, "zoo, shuffled labels");
    List<ZooRun> shuffledRuns = shuffledRuns(r, models);
    List<Path> shuffledDirs = new ArrayList<>();
    for (ZooRun run : shuffledRuns) {
      List<String> extra = new ArrayList<>(List.of("--shuffle-labels"));
      extra.addAll(run.extra());
      shuffledDirs.add(
          train(
              r,
              "004-shuffled-" + run.label(),
              new ZooRun(run.label(), run.model(), run.keepProb(), extra),
              shuffledEpochs));
    }
    if (r.planOnly()) {
      return List.of();
    }
    String ours =
        String.format(
            Locale.ROOT,
            "%s, last 10%% (%,d) for validation",
            r.data().describe(),
            Math.round(r.data().trainSize() * 0.1));
    List<Figure> figures = new ArrayList<>();
    List<ZooTables.Row> trueRows = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      Model m = models.get(i);
      MetricsTable table = MetricsTable.read(trueDirs.get(i).resolve("metrics.csv"));
      trueRows.add(ZooTables.ours(m.name(), parameters(m.name()), table));
      figures.addAll(ZooFigures.trueLabels(m.name(), m.published(), table, epochs, ours));
    }
    List<ZooTables.Row> shuffledRows = new ArrayList<>();
    for (int i = 0; i < shuffledRuns.size(); i++) {
      ZooRun run = shuffledRuns.get(i);
      MetricsTable table = MetricsTable.read(shuffledDirs.get(i).resolve("metrics.csv"));
      shuffledRows.add(ZooTables.ours(run.label(), parameters(run.model()), table));
      figures.addAll(
          ZooFigures.shuffled(run.label(), table, shuffledEpochs, ours + ", labels shuffled"));
    }
    r.appendix(tables(r, trueRows, epochs, shuffledRows, shuffledEpochs));
    return figures;
  }

  /** Both results tables, ours and the write-up's, as Markdown. */
  private static String tables(
      Reproduction r,
      List<ZooTables.Row> trueRows,
      int epochs,
      List<ZooTables.Row> shuffledRows,
      int shuffledEpochs) {
    String data = r.data().describe();
    return ZooTables.markdown(
            String.format(Locale.ROOT, "Results, true labels: ours (%s, %d epochs)", data, epochs),
            trueRows)
        + ZooTables.markdown(
            "Results, true labels: the write-up's (full MNIST, 50 epochs)", ZooTables.TRUE_LABELS)
        + ZooTables.markdown(
            String.format(
                Locale.ROOT,
                "Results, shuffled labels: ours (%s, %d epochs)",
                data,
                shuffledEpochs),
            shuffledRows)
        + ZooTables.markdown(
            "Results, shuffled labels: the write-up's (full MNIST, 500 epochs)",
            ZooTables.SHUFFLED);
  }

  private static Path train(Reproduction r, String name, ZooRun run, int epochs)
      throws TfmnistException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--model",
                run.model(),
                "--epochs",
                Integer.toString(epochs),
                "--batch",
                "32",
                "--optimizer",
                "adam",
                "--learning-rate",
                "0.001",
                "--keep-prob",
                run.keepProb(),
                "--validation-split",
                VALIDATION_SPLIT,
                "--data-dir",
                r.data().dir().toString()));
    args.addAll(run.extra());
    return r.train(name, args.toArray(String[]::new));
  }

  /** The shuffled-label runs: each selected model, and VGG without dropout beside VGG. */
  private static List<ZooRun> shuffledRuns(Reproduction r, List<Model> models) {
    List<ZooRun> runs = new ArrayList<>();
    for (Model m : models) {
      runs.add(new ZooRun(m.name(), m.name(), KERAS_KEEP_PROB, List.of()));
    }
    if (r.inputs().selected("cnn-vgg")) {
      runs.add(new ZooRun("cnn-vgg-no-dropout", "cnn-vgg", "1", List.of()));
    }
    return runs;
  }

  private static long parameters(String model) {
    return ModelZoo.find(model).orElseThrow().parameterCount();
  }

  /** The write-up's models that {@code --models} selects; the others are said in a note. */
  private static List<Model> models(Reproduction r) {
    List<Model> chosen = new ArrayList<>();
    for (Model m : MODELS) {
      if (r.inputs().selected(m.name())) {
        chosen.add(m);
      }
    }
    if (chosen.size() < MODELS.size()) {
      List<String> names = chosen.stream().map(Model::name).toList();
      r.note("zoo: --models runs " + String.join(", ", names) + " of the write-up's four");
    }
    return chosen;
  }
}
