package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;

/**
 * 004, the Keras zoo: MLP512, MLP2048, the small CNN and the VGG-style CNN, each 50 epochs with
 * {@code validation_split=0.1} (validation loss bottoms out around epoch 5, then climbs); then the
 * label-shuffling experiment on all four, 500 epochs (the small CNN memorises the training set, VGG
 * does not), and VGG without dropout beside it.
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

  private static final String FULL = "full MNIST (60,000 / 10,000)";

  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    List<Figure> figures = new ArrayList<>();
    int epochs = r.epochs(50, "zoo, validation split");
    for (Model m : models(r)) {
      Path dir =
          r.train(
              "004-" + m.name(),
              "train",
              "--model",
              m.name(),
              "--epochs",
              Integer.toString(epochs),
              "--validation-split",
              "0.1",
              "--data-dir",
              r.data().dir().toString());
      MetricsTable table = MetricsTable.read(dir.resolve("metrics.csv"));
      String ours = r.data().describe() + ", last 10% for validation";
      figures.add(
          new Figure(
              m.name() + ": test accuracy after 50 epochs",
              m.published(),
              FULL,
              Figure.after(Figure.percent(table.last().testAccuracy(), 2), epochs, 50, "epochs"),
              ours,
              dir.toString()));
      figures.add(
          new Figure(
              m.name() + ": epoch of the lowest val_loss (then rising?)",
              "about 5, then rising",
              FULL,
              lowestValidationLoss(table),
              ours,
              dir.toString()));
    }
    figures.addAll(shuffled(r));
    return figures;
  }

  private static List<Figure> shuffled(Reproduction r) throws TfmnistException {
    int epochs = r.epochs(500, "zoo, shuffled labels");
    List<Figure> figures = new ArrayList<>();
    List<String[]> runs = new ArrayList<>();
    for (Model m : models(r)) {
      runs.add(new String[] {m.name(), m.name()});
    }
    if (r.inputs().selected("cnn-vgg")) {
      runs.add(new String[] {"cnn-vgg-no-dropout", "cnn-vgg", "--keep-prob", "1"});
    }
    for (String[] run : runs) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "train",
                  "--model",
                  run[1],
                  "--epochs",
                  Integer.toString(epochs),
                  "--shuffle-labels",
                  "--data-dir",
                  r.data().dir().toString()));
      args.addAll(List.of(run).subList(2, run.length));
      Path dir = r.train("004-shuffled-" + run[0], args.toArray(String[]::new));
      MetricsTable.Row last = MetricsTable.read(dir.resolve("metrics.csv")).last();
      figures.add(
          new Figure(
              run[0] + ", shuffled labels, 500 epochs: training / test accuracy",
              memorises(run[0]),
              FULL,
              Figure.after(
                  Figure.percent(last.accuracy(), 1)
                      + " / "
                      + Figure.percent(last.testAccuracy(), 1),
                  epochs,
                  500,
                  "epochs"),
              r.data().describe() + ", training labels shuffled",
              dir.toString()));
    }
    return figures;
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

  /** What the repository knows of the write-up's shuffled-label outcome per model. */
  private static String memorises(String run) {
    return switch (run) {
      case "cnn-small" -> "memorises the training set";
      case "cnn-vgg" -> "does not memorise";
      default -> "n/a";
    };
  }

  /** "5 (val_loss 0.0712; 0.0934 at the last epoch)". */
  static String lowestValidationLoss(MetricsTable table) throws TfmnistException {
    MetricsTable.Row best = null;
    for (MetricsTable.Row row : table.rows()) {
      if (best == null || row.valLoss() < best.valLoss()) {
        best = row;
      }
    }
    if (best == null || Double.isNaN(best.valLoss())) {
      return "n/a";
    }
    return String.format(
        java.util.Locale.ROOT,
        "%d (val_loss %.4f; %.4f at epoch %d)",
        best.epoch(),
        best.valLoss(),
        table.last().valLoss(),
        table.last().epoch());
  }
}
