package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsCharts;
import org.tfmnist.report.MetricsTable;

/**
 * 003, Keras' MLP 16: Dense 16 sigmoid, Dense 10 softmax, Keras' defaults (Glorot-uniform, Adam
 * 1e-3), 10 epochs of batch 1,000; the write-up draws loss and accuracy side by side.
 */
final class Mlp16Writeup implements Protocol {
  static final String PANELS = "writeup-panels.png";

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
    int epochs = r.epochs(10, "mlp16");
    Path dir =
        r.train(
            "003-mlp16",
            "train",
            "--model",
            "mlp16",
            "--epochs",
            Integer.toString(epochs),
            "--batch",
            "1000",
            "--data-dir",
            data.dir().toString());
    MetricsTable table = MetricsTable.read(dir.resolve("metrics.csv"));
    Path panels = dir.resolve(PANELS);
    drawPanels(table, panels);
    r.note("003: the write-up's figure, loss (0..10) and accuracy (0..1) side by side: " + panels);
    return List.of(
        new Figure(
            "mlp16: test accuracy after 10 epochs of batch 1,000",
            "89.4",
            "full MNIST (60,000 / 10,000)",
            Figure.after(Figure.percent(table.last().testAccuracy(), 1), epochs, 10, "epochs"),
            data.describe(),
            dir.toString()));
  }
}
