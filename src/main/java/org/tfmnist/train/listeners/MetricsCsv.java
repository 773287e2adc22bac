package org.tfmnist.train.listeners;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.train.EpochMetrics;
import org.tfmnist.train.TrainingListener;

/**
 * Appends one row per epoch to {@code metrics.csv} (Keras {@code CSVLogger} style), each row
 * written and fsynced at once, so a killed run (or a lost machine) keeps every finished epoch; a
 * row that cannot be written whole (a full disk) is cut off again, so the file ends on a complete
 * row. {@link #resume} cuts rows written after the checkpoint a run resumes from, so a resumed run
 * neither repeats nor loses rows. A run with a validation split also logs {@code val_loss} and
 * {@code val_accuracy}.
 */
public final class MetricsCsv implements TrainingListener, AutoCloseable {
  public static final String FILE_NAME = "metrics.csv";
  public static final String[] HEADER = {
    "epoch", "step", "loss", "accuracy", "test_loss", "test_accuracy", "elapsed_seconds"
  };

  /** The header of a run with a validation split: Keras' {@code val_} columns after training's. */
  static final String[] HEADER_WITH_VALIDATION = {
    "epoch",
    "step",
    "loss",
    "accuracy",
    "val_loss",
    "val_accuracy",
    "test_loss",
    "test_accuracy",
    "elapsed_seconds"
  };

  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

  private final Path file;
  private final boolean validation;
  private FileChannel channel;

  private MetricsCsv(Path file, boolean validation) {
    this.file = file;
    this.validation = validation;
  }

  /** Starts a new {@code metrics.csv} without validation columns; refuses to overwrite one. */
  public static MetricsCsv create(Path file) throws TfmnistException {
    return create(file, false);
  }

  /**
   * Starts a new {@code metrics.csv}, with validation columns when {@code validation}; refuses to
   * overwrite one.
   */
  public static MetricsCsv create(Path file, boolean validation) throws TfmnistException {
    MetricsCsv csv = new MetricsCsv(file, validation);
    try {
      csv.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      DurableFiles.fsyncDirectory(file.toAbsolutePath().getParent());
      csv.append((Object[]) csv.header());
    } catch (IOException e) {
      csv.closeQuietly();
      throw new TfmnistException(file + ": cannot create: " + e.getMessage(), e);
    }
    return csv;
  }

  /**
   * Reopens {@code file} for a run resumed at {@code checkpointStep}: keeps the rows up to that
   * step (rewritten atomically: temporary file, fsync, rename), drops later ones, and returns the
   * elapsed seconds of the last kept row with the logger via {@link Resumed}.
   */
  public static Resumed resume(Path file, long checkpointStep) throws TfmnistException {
    return resume(file, checkpointStep, false);
  }

  /**
   * As {@link #resume(Path, long)}; when {@code file} does not exist yet it is started with
   * validation columns if {@code validation}.
   */
  public static Resumed resume(Path file, long checkpointStep, boolean validation)
      throws TfmnistException {
    List<CSVRecord> kept = new ArrayList<>();
    if (Files.exists(file)) {
      try (Reader reader = Files.newBufferedReader(file);
          var parser =
              FORMAT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
        validation = parser.getHeaderNames().contains("val_loss");
        for (CSVRecord record : parser) {
          if (record.isConsistent() && Long.parseLong(record.get("step")) <= checkpointStep) {
            kept.add(record);
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new TfmnistException(file + ": cannot read metrics to resume: " + e.getMessage(), e);
      }
    }
    String[] header = validation ? HEADER_WITH_VALIDATION : HEADER;
    try {
      DurableFiles.write(
          file,
          out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter rewrite = new CSVPrinter(writer, FORMAT);
            rewrite.printRecord((Object[]) header);
            for (CSVRecord record : kept) {
              rewrite.printRecord(record.toList());
            }
            rewrite.flush();
          });
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot rewrite to resume: " + e.getMessage(), e);
    }
    MetricsCsv csv = new MetricsCsv(file, validation);
    try {
      csv.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot reopen: " + e.getMessage(), e);
    }
    double elapsed =
        kept.isEmpty() ? 0 : Double.parseDouble(kept.get(kept.size() - 1).get("elapsed_seconds"));
    return new Resumed(csv, kept.size(), elapsed);
  }

  /** A reopened log, the rows it kept and the elapsed seconds of the last one. */
  public record Resumed(MetricsCsv csv, int rowsKept, double elapsedSeconds) {}

  @Override
  public void onEpochEnd(EpochMetrics m) throws TfmnistException {
    try {
      List<Object> row =
          new ArrayList<>(List.of(m.epoch(), m.step(), format(m.loss()), format(m.accuracy())));
      if (validation) {
        row.add(format(m.valLoss()));
        row.add(format(m.valAccuracy()));
      }
      row.addAll(
          List.of(
              format(m.testLoss()),
              format(m.testAccuracy()),
              String.format(Locale.ROOT, "%.3f", m.elapsedSeconds())));
      append(row.toArray());
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot append: " + e.getMessage(), e);
    }
  }

  private String[] header() {
    return validation ? HEADER_WITH_VALIDATION : HEADER;
  }

  /** Writes one row and fsyncs it; a row that does not fit is cut off again. */
  private void append(Object... values) throws IOException {
    ByteBuffer row =
        ByteBuffer.wrap((FORMAT.format(values) + "\n").getBytes(StandardCharsets.UTF_8));
    long before = channel.size();
    try {
      while (row.hasRemaining()) {
        channel.write(row);
      }
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(before);
      } catch (IOException ignored) {
        // a partial last row is dropped by resume (it is inconsistent or past the checkpoint)
      }
      throw e;
    }
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // nothing written that close could lose
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
