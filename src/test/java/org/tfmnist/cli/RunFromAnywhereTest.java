package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TestData;
import org.tfmnist.report.MetricsTable;

/**
 * {@code reproduce 000..004} (short variants), {@code digits} and {@code show --dataset digits} in
 * one child JVM whose working directory is a temporary directory outside the repository, as a user
 * with the jar elsewhere would run them: the digits come from the classpath, nothing reads the
 * repository's {@code data/}. 002 trains the CNN 300 steps on the mean loss and prints ten
 * probabilities per photo.
 */
@Tag("data")
class RunFromAnywhereTest {
  private static final Pattern PHOTO =
      Pattern.compile(
          "(?m)^002: (\\S+) \\(write-up recipe\\): (\\d) \\(([\\d.]+)\\);((?: [\\d.]+)+)\\s*$");

  @TempDir Path tmp;

  @Test
  void everyWriteupAndTheDigitsCommandsRunFromAnotherDirectory() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    assertFalse(tmp.toAbsolutePath().startsWith(repo), tmp + " is inside " + repo);
    String small = TestData.mnistSmallDir().toAbsolutePath().toString();
    String out =
        run(
            List.of("reproduce", "000", "--max-epochs", "12", "--out", "r000"),
            List.of("reproduce", "001", "--data-dir", small, "--max-steps", "20", "--out", "r001"),
            List.of("reproduce", "002", "--data-dir", small, "--max-steps", "300", "--out", "r002"),
            List.of("reproduce", "003", "--data-dir", small, "--max-epochs", "2", "--out", "r003"),
            List.of(
                "reproduce",
                "004",
                "--data-dir",
                small,
                "--models",
                "mlp512",
                "--max-epochs",
                "2",
                "--out",
                "r004"),
            List.of("digits", "--epochs", "2", "--run-dir", "d"),
            List.of("show", "--dataset", "digits", "0", "--out", "digits.png"));
    for (String w : List.of("r000", "r001", "r002", "r003", "r004")) {
      noNaInTheWriteupColumn(tmp.resolve(w).resolve("figures.md"));
    }
    assertTrue(Files.exists(tmp.resolve("r000/000-digits-image-0.png")));
    assertTrue(Files.exists(tmp.resolve("d/metrics.csv")));
    assertTrue(Files.size(tmp.resolve("digits.png")) > 0);
    assertTrue(out.contains("from the digits bundled in the jar"), out);
    photosWriteup(out);
    mlp16Writeup(out);
    String zoo = Files.readString(tmp.resolve("r004/figures.md"));
    assertTrue(zoo.contains("### Results, true labels: ours"), zoo);
    assertTrue(zoo.contains("### Results, shuffled labels: ours"), zoo);
    assertTrue(zoo.contains("| mlp512 | 407,050 | 1.2545 | 0.5025 | 8.9777 | 0.1138 |"), zoo);
    MetricsTable shuffled = MetricsTable.read(tmp.resolve("r004/004-shuffled-mlp512/metrics.csv"));
    assertFalse(Double.isNaN(shuffled.last().valLoss()), "shuffled runs keep the validation split");
  }

  /** 002: the CNN on the mean loss, its progress lines, ten probabilities for each photo. */
  private void photosWriteup(String out) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newInputStream(tmp.resolve("r002/002-experts/run.properties"))) {
      p.load(in);
    }
    assertEquals("cnn", p.getProperty("model"), p.toString());
    assertEquals("mean", p.getProperty("loss"), p.toString());
    assertEquals("300", p.getProperty("steps"), p.toString());
    for (String step : List.of("0", "100", "200")) {
      assertTrue(out.contains("step " + step + ", training accuracy "), out);
    }
    double accuracy =
        MetricsTable.read(tmp.resolve("r002/002-experts/metrics.csv")).last().testAccuracy();
    assertTrue(accuracy > 0.8, "300 steps of the CNN: " + accuracy);
    Matcher m = PHOTO.matcher(out);
    int photos = 0;
    while (m.find()) {
      photos++;
      String[] values = m.group(4).trim().split(" ");
      assertEquals(10, values.length, m.group());
      double sum = 0;
      int best = 0;
      for (int i = 0; i < values.length; i++) {
        double v = Double.parseDouble(values[i]);
        sum += v;
        best = v > Double.parseDouble(values[best]) ? i : best;
      }
      assertEquals(1.0, sum, 0.002, m.group());
      assertEquals(Integer.parseInt(m.group(2)), best, m.group());
    }
    assertEquals(3, photos, out);
    String table = Files.readString(tmp.resolve("r002/figures.md"));
    assertTrue(table.contains("| test accuracy after 20,000 steps | 99.31 |"), table);
    assertTrue(table.contains("IMG_0738.JPG (a 9)"), table);
  }

  /** 003: training image 0 drawn; on mnist-small it says so and never claims full MNIST. */
  private void mlp16Writeup(String out) throws Exception {
    assertTrue(Files.size(tmp.resolve("r003/003-training-image-0.png")) > 0);
    assertTrue(out.contains("reproduce: full MNIST is not in "), out);
    assertTrue(out.contains("the write-up trains 10 epochs; --max-epochs runs 2"), out);
    Matcher row =
        Pattern.compile(
                "(?m)^\\| mlp16: test loss / accuracy after 10 epochs[^|]*\\| 0\\.5122 / 89\\.44"
                    + " \\| full MNIST[^|]*\\| [\\d.]+ / [\\d.]+ \\(after 2 epochs\\) \\| ([^|]+) \\|")
            .matcher(Files.readString(tmp.resolve("r003/figures.md")));
    assertTrue(row.find(), out);
    assertFalse(row.group(1).contains("full MNIST"), "our data: " + row.group(1));
    assertTrue(row.group(1).contains("(8,000 / 2,000)"), row.group(1));
  }

  /** The write-up column (the second) of every figure row holds a figure, never "n/a". */
  private static void noNaInTheWriteupColumn(Path figures) throws Exception {
    List<String> rows =
        Files.readAllLines(figures, StandardCharsets.UTF_8).stream()
            .filter(
                l -> l.startsWith("| ") && !l.startsWith("| figure ") && !l.startsWith("| model"))
            .toList();
    assertFalse(rows.isEmpty(), figures.toString());
    for (String row : rows) {
      String writeup = row.split("\\|")[2].trim();
      assertFalse(writeup.isEmpty() || writeup.equals("n/a"), figures + ": " + row);
    }
  }

  /** Runs the command lines in one child JVM in {@code tmp}; returns its output. */
  @SafeVarargs
  private String run(List<String>... lines) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(CommandSequence.class.getName());
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        command.add(CommandSequence.SEPARATOR);
      }
      command.addAll(lines[i]);
    }
    Path log = tmp.resolve("child.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.start();
    boolean ended = process.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    String out = Files.readString(log);
    System.out.print(out);
    assertTrue(ended, "the child did not end in 10 minutes");
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  private static String absoluteClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
