package org.tfmnist.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.tfmnist.TfmnistException;
import org.tfmnist.train.Evaluation;

/**
 * The evaluator's CSV: one row per evaluated checkpoint ({@code step,test_loss,test_accuracy,
 * test_correct,test_total}), appended and flushed row by row, so an evaluator started again goes on
 * after its last row.
 */
final class EvalCsv {
  static final String FILE_NAME = "metrics.csv";
  static final String HEADER = "step,test_loss,test_accuracy,test_correct,test_total";

  private final Path file;

  EvalCsv(Path file) {
    this.file = file;
  }

  /** The step of the last row, or -1 when there is none. */
  long lastStep() throws TfmnistException {
    try {
      if (!Files.exists(file)) {
        return -1;
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i > 0; i--) {
        String line = lines.get(i).strip();
        if (!line.isEmpty()) {
          return Long.parseLong(line.substring(0, line.indexOf(',')));
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      throw new TfmnistException(file + ": cannot read the evaluator's CSV: " + e.getMessage(), e);
    }
  }

  /** Appends the row of the checkpoint at {@code step}. */
  void append(long step, Evaluation result) throws TfmnistException {
    try {
      Files.createDirectories(file.getParent());
      String row =
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%d,%d%n",
              step,
              result.loss(),
              result.accuracy(),
              result.correct(),
              result.count());
      String text = Files.exists(file) ? row : HEADER + "\n" + row;
      Files.writeString(
          file,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot write the evaluator's CSV: " + e.getMessage(), e);
    }
  }
}
