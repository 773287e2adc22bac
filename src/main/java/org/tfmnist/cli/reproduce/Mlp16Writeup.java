package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;

/**
 * 003, Keras' MLP 16: Dense 16 sigmoid, Dense 10 softmax, Keras' defaults (Glorot-uniform, Adam
 * 1e-3), 10 epochs of batch 1,000; the write-up draws loss and accuracy side by side.
 */
final class Mlp16Writeup implements Protocol {
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
    return List.of(
        new Figure(
            "mlp16: test accuracy after " + epochs + " epochs of batch 1,000",
            "89.4",
            "full MNIST (60,000 / 10,000)",
            Figure.percent(table.last().testAccuracy(), 1),
            data.describe(),
            dir.toString()));
  }
}
