package org.tfmnist.cli.reproduce;

import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;

/**
 * 004's two results tables ({@code 004_96847acfb119240e.txt}: true labels, then shuffled labels) in
 * the write-up's shape: one row per model, its parameter count, final training loss and accuracy,
 * test loss and accuracy; the write-up's rows kept here as it prints them.
 */
final class ZooTables {
  /** One row of a results table, as text. */
  record Row(
      String model,
      String parameters,
      String trainLoss,
      String trainAcc,
      String testLoss,
      String testAcc) {}

  /** The write-up's table for the true labels, 50 epochs on full MNIST. */
  static final List<Row> TRUE_LABELS =
      List.of(
          new Row("mlp512", "407,050", "0.0102", "0.9975", "0.1410", "0.9847"),
          new Row("mlp2048", "1,628,170", "0.0144", "0.9975", "0.2275", "0.9833"),
          new Row("cnn-small", "1,611,690", "0.0027", "0.9994", "0.1221", "0.9879"),
          new Row("cnn-vgg", "1,066,410", "0.0374", "0.9899", "0.0138", "0.9934"));

  /** The write-up's table for shuffled labels, 500 epochs on full MNIST. */
  static final List<Row> SHUFFLED =
      List.of(
          new Row("mlp512", "407,050", "1.2545", "0.5025", "8.9777", "0.1138"),
          new Row("mlp2048", "1,628,170", "0.7056", "0.7322", "8.0285", "0.1152"),
          new Row("cnn-small", "1,611,690", "0.0328", "0.9918", "13.3561", "0.1016"),
          new Row("cnn-vgg", "1,066,410", "2.3015", "0.1102", "2.3010", "0.1135"));

  private ZooTables() {}

  /** Our row: the last epoch of {@code table}, the model's parameters as Keras counts them. */
  static Row ours(String model, long parameters, MetricsTable table) throws TfmnistException {
    MetricsTable.Row last = table.last();
    return new Row(
        model,
        String.format(Locale.ROOT, "%,d", parameters),
        four(last.loss()),
        four(last.accuracy()),
        four(last.testLoss()),
        four(last.testAccuracy()));
  }

  /** The write-up's row for {@code model} in {@code rows}, if it has one. */
  static Row published(List<Row> rows, String model) {
    return rows.stream().filter(r -> r.model().equals(model)).findFirst().orElse(null);
  }

  /** A Markdown table in the write-up's shape, under a heading. */
  static String markdown(String heading, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(heading).append("\n\n");
    sb.append("| model | parameters | train loss | train acc | test loss | test acc |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append("| ")
          .append(
              String.join(
                  " | ",
                  r.model(),
                  r.parameters(),
                  r.trainLoss(),
                  r.trainAcc(),
                  r.testLoss(),
                  r.testAcc()))
          .append(" |\n");
    }
    return sb.append('\n').toString();
  }

  private static String four(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
