package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsCharts;
import org.tfmnist.report.MetricsTable;

/**
 * 003, Keras' MLP 16 ({@code 003_f3ba276aaa562559.txt}): training image 0 drawn with its label;
 * Dense 16 sigmoid, Dense 10 softmax, Keras' defaults (Glorot-uniform, Adam 1e-3), 10 epochs of
 * batch 1,000 with the test set as Keras' {@code validation_data}, so each epoch's training and
 * test loss and accuracy sit beside the write-up's; loss and accuracy drawn side by side.
 */
final class Mlp16Writeup implements Protocol {
  static final String PANELS = "writeup-panels.png";
  static final int EPOCHS = 10;
  static final int BATCH = 1000;

  /** The write-up's Keras log: per epoch loss, accuracy, val_loss (test), val_accuracy (test). */
  static final String[][] PUBLISHED = {
    {"2.0619", "0.3990", "1.7701", "0.5962"},
    {"1.5951", "0.6823", "1.4248", "0.7480"},
    {"1.3059", "0.7682", "1.1791", "0.7974"},
    {"1.0928", "0.8054", "0.9965", "0.8330"},
    {"0.9339", "0.8368", "0.8598", "0.8535"},
    {"0.8132", "0.8555", "0.7541", "0.8699"},
    {"0.7196", "0.8677", "0.6721", "0.8782"},
    {"0.6458", "0.8769", "0.6062", "0.8858"},
    {"0.5870", "0.8839", "0.5539", "0.8904"},
    {"0.5397", "0.8890", "0.5122", "0.8944"}
  };

  /** Loss and accuracy side by side on the write-up's fixed axes: loss 0..10, accuracy 0..1. */
  static void drawPanels(MetricsTable table, Path file) throws TfmnistException {
    XYChart loss = MetricsCharts.run("mlp16", table, MetricsCharts.Metric.LOSS);
    loss.getStyler().setYAxisMin(0.0).setYAxisMax(10.0);
    XYChart accuracy = MetricsCharts.run("mlp16", table, MetricsCharts.Metric.ACCURACY);
    accuracy.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    MetricsCharts.writePng(List.of(loss, accuracy), file);
  }

  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    MnistData data = r.data();
    Path image = r.runDir("003-training-image-0.png");
    r.command(
        "show", "--train", "--data-dir", data.dir().toString(), "--out", image.toString(), "0");
    int epochs = r.epochs(EPOCHS, "mlp16");
    Path dir =
        r.train(
            "003-mlp16",
            "train",
            "--model",
            "mlp16",
            "--epochs",
            Integer.toString(epochs),
            "--batch",
            Integer.toString(BATCH),
            "--optimizer",
            "adam",
            "--learning-rate",
            "0.001",
            "--data-dir",
            data.dir().toString());
    if (r.planOnly()) {
      return List.of();
    }
    MetricsTable table = MetricsTable.read(dir.resolve("metrics.csv"));
    Path panels = dir.resolve(PANELS);
    drawPanels(table, panels);
    r.note("003: training image 0 with its label: " + image);
    r.note("003: the write-up's figure, loss (0..10) and accuracy (0..1) side by side: " + panels);
    return figures(data, epochs, table, dir);
  }

  /** One row per epoch beside the write-up's Keras log, then the final test figures. */
  private static List<Figure> figures(MnistData data, int epochs, MetricsTable table, Path dir)
      throws TfmnistException {
    String theirs = "full MNIST (60,000 / 10,000): 10 epochs of 1,000 = 600 steps";
    String ours =
        String.format(
            Locale.ROOT,
            "%s: %d epochs of 1,000 = %,d steps",
            data.describe(),
            epochs,
            table.last().step());
    List<Figure> figures = new ArrayList<>();
    for (MetricsTable.Row row : table.rows()) {
      String[] p = PUBLISHED[row.epoch() - 1];
      figures.add(
          new Figure(
              "epoch " + row.epoch() + ": training loss / accuracy; test loss / accuracy",
              p[0] + " / " + p[1] + "; " + p[2] + " / " + p[3],
              theirs,
              String.format(
                  Locale.ROOT,
                  "%.4f / %.4f; %.4f / %.4f",
                  row.loss(),
                  row.accuracy(),
                  row.testLoss(),
                  row.testAccuracy()),
              ours,
              dir.toString()));
    }
    figures.add(
        new Figure(
            "mlp16: test loss / accuracy after 10 epochs of batch 1,000",
            "0.5122 / 89.44",
            theirs,
            Figure.after(
                String.format(
                    Locale.ROOT,
                    "%.4f / %s",
                    table.last().testLoss(),
                    Figure.percent(table.last().testAccuracy(), 2)),
                epochs,
                EPOCHS,
                "epochs"),
            ours,
            dir.toString()));
    return figures;
  }
}
