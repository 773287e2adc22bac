package org.tfmnist.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.tfmnist.TfmnistException;

/**
 * A run's {@code metrics.csv} read back by column name, for the plots and the summary table. The
 * columns {@code val_loss}, {@code val_accuracy} are optional (runs with a validation split); the
 * others are required. A record cut short (a run killed while writing it) is skipped.
 */
public final class MetricsTable {
  private static final String[] REQUIRED = {
    "epoch", "step", "loss", "accuracy", "test_loss", "test_accuracy", "elapsed_seconds"
  };
  private static final String VAL_LOSS = "val_loss";
  private static final String VAL_ACCURACY = "val_accuracy";

  /**
   * One epoch's row; {@code valLoss}/{@code valAccuracy} are NaN when the run has no validation
   * split.
   */
  public record Row(
      int epoch,
      long step,
      double loss,
      double accuracy,
      double valLoss,
      double valAccuracy,
      double testLoss,
      double testAccuracy,
      double elapsedSeconds) {}

  private final Path file;
  private final List<Row> rows;
  private final boolean validation;

  private MetricsTable(Path file, List<Row> rows, boolean validation) {
    this.file = file;
    this.rows = List.copyOf(rows);
    this.validation = validation;
  }

  /**
   * Reads {@code file}; a missing file, a missing column or a value that is not a number is a
   * one-line error.
   */
  public static MetricsTable read(Path file) throws TfmnistException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
    try (Reader reader = Files.newBufferedReader(file);
        CSVParser parser = format.parse(reader)) {
      Map<String, Integer> header = parser.getHeaderMap();
      for (String column : REQUIRED) {
        if (header == null || !header.containsKey(column)) {
          throw new TfmnistException(
              file + ": no '" + column + "' column (expected " + String.join(",", REQUIRED) + ")");
        }
      }
      boolean validation = header.containsKey(VAL_LOSS) && header.containsKey(VAL_ACCURACY);
      List<Row> rows = new ArrayList<>();
      for (CSVRecord record : parser) {
        if (record.isConsistent()) {
          rows.add(row(file, record, validation));
        }
      }
      return new MetricsTable(file, rows, validation);
    } catch (NoSuchFileException e) {
      throw new TfmnistException(file + ": not found");
    } catch (IOException | RuntimeException e) {
      throw new TfmnistException(
          file + ": cannot read: " + TfmnistException.firstLine(e.getMessage()), e);
    }
  }

  private static Row row(Path file, CSVRecord r, boolean validation) throws TfmnistException {
    try {
      return new Row(
          Integer.parseInt(r.get("epoch").trim()),
          Long.parseLong(r.get("step").trim()),
          number(r, "loss"),
          number(r, "accuracy"),
          validation ? number(r, VAL_LOSS) : Double.NaN,
          validation ? number(r, VAL_ACCURACY) : Double.NaN,
          number(r, "test_loss"),
          number(r, "test_accuracy"),
          number(r, "elapsed_seconds"));
    } catch (NumberFormatException e) {
      throw new TfmnistException(
          file + ": line " + (r.getRecordNumber() + 1) + ": not a number: " + e.getMessage(), e);
    }
  }

  private static double number(CSVRecord r, String column) {
    return Double.parseDouble(r.get(column).trim());
  }

  /** The file this table was read from. */
  public Path file() {
    return file;
  }

  public List<Row> rows() {
    return rows;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Whether the run logged {@code val_loss} and {@code val_accuracy}. */
  public boolean hasValidation() {
    return validation;
  }

  /** The last row, the run's final figures. */
  public Row last() throws TfmnistException {
    if (rows.isEmpty()) {
      throw new TfmnistException(file + ": no rows yet (the run has not finished an epoch)");
    }
    return rows.get(rows.size() - 1);
  }

  /** One column of every row, e.g. {@code column(Row::testAccuracy)}. */
  public double[] column(ToDoubleFunction<Row> value) {
    return rows.stream().mapToDouble(value).toArray();
  }
}
