package org.tfmnist.run;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;

/**
 * A training run's output directory ({@code metrics.csv}, {@code checkpoint/}, {@code
 * saved_model/}) and its {@code run.properties}, the settings {@code --resume} reuses. A new run
 * never reuses another run's directory.
 */
public final class RunDirectory {
  public static final String SETTINGS = "run.properties";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private RunDirectory() {}

  /** Creates {@code requested}, or {@code results/<command>-<timestamp>[-N]} when it is null. */
  public static Path create(Path requested, String command) throws TfmnistException {
    try {
      if (requested != null) {
        if (Files.exists(requested) && !isEmptyDirectory(requested)) {
          throw new TfmnistException(
              requested
                  + ": run directory already exists and is not empty; pick another --run-dir"
                  + " or continue it with --resume "
                  + requested);
        }
        return Files.createDirectories(requested);
      }
      Path results = Files.createDirectories(Path.of("results"));
      String base = command + "-" + LocalDateTime.now().format(STAMP);
      for (int n = 1; ; n++) {
        Path candidate = results.resolve(n == 1 ? base : base + "-" + n);
        try {
          return Files.createDirectory(candidate);
        } catch (FileAlreadyExistsException e) {
          // another run started this second: try the next suffix
        }
      }
    } catch (IOException e) {
      throw new TfmnistException(
          (requested != null ? requested : Path.of("results"))
              + ": cannot create run directory: "
              + e.getMessage(),
          e);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  public static void writeSettings(Path runDir, Properties settings) throws TfmnistException {
    Path file = runDir.resolve(SETTINGS);
    try {
      DurableFiles.write(
          file,
          out -> {
            Writer writer =
                new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8);
            settings.store(writer, "tfmnist run settings: --resume reads these");
            writer.flush();
          });
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  public static Properties readSettings(Path runDir) throws TfmnistException {
    Path file = runDir.resolve(SETTINGS);
    Properties settings = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      settings.load(reader);
    } catch (NoSuchFileException e) {
      throw new TfmnistException(
          file + ": not found; --resume needs the directory of an earlier run");
    } catch (IOException | IllegalArgumentException e) {
      throw new TfmnistException(file + ": cannot read: " + e.getMessage(), e);
    }
    return settings;
  }
}
