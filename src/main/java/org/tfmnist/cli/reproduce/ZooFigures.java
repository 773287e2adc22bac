package org.tfmnist.cli.reproduce;

import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;

/**
 * 004's figure rows: per model its test accuracy and lowest validation loss (true labels), and its
 * final training and test figures on shuffled labels, beside what {@code 004_96847acfb119240e.txt}
 * states.
 */
final class ZooFigures {
  private ZooFigures() {}

  /** What 004 says of the validation loss on true labels: only of MLP512. */
  static String publishedLowest(String model) {
    return model.equals("mlp512")
        ? "lowest at epoch 5; at epoch 50 about twice that"
        : "not stated (004 says it of mlp512 only)";
  }

  static List<Figure> trueLabels(
      String model, String published, MetricsTable table, int epochs, String ours)
      throws TfmnistException {
    String run = table.file().getParent().toString();
    return List.of(
        new Figure(
            model + ": test accuracy after 50 epochs",
            published,
            ZooWriteup.FULL,
            Figure.after(
                Figure.percent(table.last().testAccuracy(), 2),
                epochs,
                ZooWriteup.EPOCHS,
                "epochs"),
            ours,
            run),
        new Figure(
            model + ": epoch of the lowest val_loss, and the last epoch's against it",
            publishedLowest(model),
            ZooWriteup.FULL,
            lowestValidationLoss(table),
            ours,
            run));
  }

  static List<Figure> shuffled(String label, MetricsTable table, int epochs, String ours)
      throws TfmnistException {
    String run = table.file().getParent().toString();
    ZooTables.Row theirs = ZooTables.published(ZooTables.SHUFFLED, label);
    MetricsTable.Row last = table.last();
    String accuracy =
        Figure.after(
            Figure.percent(last.accuracy(), 2) + " / " + Figure.percent(last.testAccuracy(), 2),
            epochs,
            ZooWriteup.SHUFFLED_EPOCHS,
            "epochs");
    String loss =
        Figure.after(
            String.format(Locale.ROOT, "%.4f / %.4f", last.loss(), last.testLoss()),
            epochs,
            ZooWriteup.SHUFFLED_EPOCHS,
            "epochs");
    String noFigures = "did not learn either (no figures)";
    return List.of(
        new Figure(
            label + ", shuffled labels, 500 epochs: training / test accuracy",
            theirs == null
                ? noFigures
                : percent(theirs.trainAcc()) + " / " + percent(theirs.testAcc()),
            ZooWriteup.FULL + ", labels shuffled",
            accuracy,
            ours,
            run),
        new Figure(
            label + ", shuffled labels, 500 epochs: training / test loss",
            theirs == null ? noFigures : theirs.trainLoss() + " / " + theirs.testLoss(),
            ZooWriteup.FULL + ", labels shuffled",
            loss,
            ours,
            run),
        new Figure(
            label + ", shuffled labels: val_loss over the epochs",
            label.equals("mlp512")
                ? "rises with the epochs; val accuracy about 10%"
                : "not stated (004 says it of mlp512 only)",
            ZooWriteup.FULL + ", labels shuffled",
            lowestValidationLoss(table),
            ours,
            run));
  }

  /** "0.5025" as "50.25". */
  private static String percent(String fraction) {
    return Figure.percent(Double.parseDouble(fraction), 2);
  }

  /**
   * "5 (val_loss 0.0712); 0.1401 at epoch 50, 1.97x the lowest; val accuracy 0.98": where the
   * history's validation loss was lowest and how far the last epoch's is above it.
   */
  static String lowestValidationLoss(MetricsTable table) throws TfmnistException {
    MetricsTable.Row best = null;
    for (MetricsTable.Row row : table.rows()) {
      if (!Double.isNaN(row.valLoss()) && (best == null || row.valLoss() < best.valLoss())) {
        best = row;
      }
    }
    if (best == null) {
      return "no validation split in the run";
    }
    MetricsTable.Row last = table.last();
    return String.format(
        Locale.ROOT,
        "lowest at epoch %d (%.4f); %.4f at epoch %d, %.2fx the lowest; val accuracy %.4f",
        best.epoch(),
        best.valLoss(),
        last.valLoss(),
        last.epoch(),
        last.valLoss() / best.valLoss(),
        last.valAccuracy());
  }
}
