package org.tfmnist.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.cli.reproduce.Figure;
import org.tfmnist.cli.reproduce.MnistData;
import org.tfmnist.cli.reproduce.Reproduction;
import org.tfmnist.cli.reproduce.Writeup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reproduce WRITEUP}: runs a write-up's protocol through the ordinary commands and prints a
 * Markdown table of each figure the write-up reports beside ours, with the data each was measured
 * on.
 */
@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a write-up's protocol as written (loss form, learning rate, batch, epochs, split,"
          + " preprocessing) on the data given, through the ordinary commands, and prints one"
          + " Markdown row per figure the write-up reports: its figure beside ours.",
      "Where the protocol cannot run as written here it says so in one line and names what runs"
          + " instead. The table is also written to OUT/figures.md."
    })
final class ReproduceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "WRITEUP",
      description = "000 (digits), 001 (beginners), 002 (photos), 003 (mlp16) or 004 (zoo).")
  String writeup;

  @Parameters(
      index = "1..*",
      paramLabel = "IMAGE",
      description =
          "002 only: your photos of digits, dark on light (default: the first test images of a 9,"
              + " a 2 and a 5 drawn as photos).")
  List<Path> images = new ArrayList<>();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data/mnist",
      description =
          "The four MNIST-format IDX files (001-004; missing ones are downloaded from MNIST's"
              + " mirror). Figures are labelled full MNIST only if its training images are MNIST's"
              + " own file.")
  Path dataDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where the run directories go (default: results/reproduce-WRITEUP-<timestamp>).")
  Path out;

  @Option(
      names = "--max-epochs",
      paramLabel = "N",
      description =
          "Cap every run at N epochs (each cap is said in the output and the table's notes).")
  Integer maxEpochs;

  @Option(
      names = "--max-steps",
      paramLabel = "N",
      description = "Cap every step-counted run (beginners, experts) at N steps, said likewise.")
  Long maxSteps;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "002: the SavedModel to classify the photos with (default: train the write-up's CNN).")
  Path model;

  @Option(
      names = "--models",
      paramLabel = "NAME",
      split = ",",
      description =
          "004: run only these of mlp512, mlp2048, cnn-small, cnn-vgg (default: all four).")
  List<String> models = new ArrayList<>();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    Writeup w =
        Writeup.find(writeup)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "WRITEUP must be one of " + Writeup.names() + ", got " + writeup));
    if ((maxEpochs != null && maxEpochs < 1) || (maxSteps != null && maxSteps < 1)) {
      throw new ParameterException(spec.commandLine(), "--max-epochs and --max-steps must be >= 1");
    }
    for (String m : models) {
      if (!List.of("mlp512", "mlp2048", "cnn-small", "cnn-vgg").contains(m)) {
        throw new ParameterException(
            spec.commandLine(), "--models: the zoo write-up has no model '" + m + "'");
      }
    }
    Path dir = outputDirectory(w);
    PrintStream stdout = Console.out(spec);
    MnistData data =
        w == Writeup.DIGITS
            ? null
            : MnistData.of(dataDir, DataOptions.of("mnist", dataDir).loadAll(stdout));
    Reproduction r =
        new Reproduction(
            dir,
            data,
            maxEpochs,
            maxSteps,
            new Reproduction.Inputs(model, images, models),
            this::runCommand,
            stdout);
    stdout.println("reproduce " + w.id() + " (" + w.title() + ") into " + dir);
    if (data != null && !data.fullMnist()) {
      r.note(
          "full MNIST is not in "
              + dataDir
              + ": the protocol runs on "
              + data.describe()
              + "; no figure of ours below is a full-MNIST figure");
    }
    List<Figure> figures = r.run(w);
    String table = table(w, figures, r.notes()) + appendix(r.appendix());
    stdout.println();
    stdout.print(table);
    Path file = dir.resolve("figures.md");
    try {
      DurableFiles.write(file, table.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TfmnistException(file + ": cannot write: " + e.getMessage(), e);
    }
    return 0;
  }

  /** Runs one command line of the CLI with its output on {@code out}, its errors on ours. */
  private int runCommand(String[] line, PrintStream out) {
    CommandLine cli = Main.commandLine();
    cli.setOut(Console.tied(out));
    cli.setErr(spec.commandLine().getErr());
    return cli.execute(line);
  }

  private static String appendix(String markdown) {
    return markdown.isEmpty() ? "" : "\n" + markdown;
  }

  private Path outputDirectory(Writeup w) throws TfmnistException {
    Path dir = out;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      dir = Path.of("results", "reproduce-" + w.id() + "-" + stamp);
    }
    try {
      if (Files.isDirectory(dir)) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new TfmnistException(dir + ": not empty; give --out a new directory");
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TfmnistException(dir + ": cannot create: " + e.getMessage(), e);
    }
    return dir;
  }

  static String table(Writeup w, List<Figure> figures, List<String> notes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      p.println("## " + w.id() + ": " + w.title());
      p.println();
      for (String note : notes) {
        p.println("- " + note);
      }
      if (!notes.isEmpty()) {
        p.println();
      }
      Figure.printTable(figures, p);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
