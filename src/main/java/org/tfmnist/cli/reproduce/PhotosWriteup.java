package org.tfmnist.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tfmnist.TfmnistException;
import org.tfmnist.report.MetricsTable;

/**
 * 002, the Experts CNN on the mean loss and the author's photos ({@code 002_b14f580601e13620.txt}):
 * {@code tf.reduce_mean} of the cross-entropy, Adam 1e-4, 20,000 steps of 50 with keep_prob 0.5,
 * the training accuracy of the step's batch printed every 100 steps, the test accuracy at the end
 * (the write-up: 0.9931); then that CNN classifies photos prepared with the write-up's recipe, all
 * ten probabilities each. The photos are those given, or else {@link SamplePhotos}.
 */
final class PhotosWriteup implements Protocol {
  static final long STEPS = 20000;
  static final int BATCH = 50;
  static final String LEARNING_RATE = "1e-4";
  static final String KEEP_PROB = "0.5";
  static final int LOG_EVERY = 100;

  /** The training accuracies the write-up prints, by step. */
  static final Map<Long, String> TRAINING =
      new TreeMap<>(Map.of(0L, "0.08", 100L, "0.84", 200L, "0.9", 19900L, "1"));

  static final String TEST_ACCURACY = "99.31";
  private static final Pattern PROGRESS =
      Pattern.compile("(?m)^step (\\d+), training accuracy ([\\d.]+)\\s*$");

  @Override
  public List<Figure> run(Reproduction r) throws TfmnistException {
    MnistData data = r.data();
    Path model = r.inputs().model();
    List<Figure> figures = new ArrayList<>();
    if (model == null) {
      int validation = BeginnersWriteup.validationSize(r);
      long steps = r.steps(STEPS, "002 experts");
      Reproduction.Trained run = r.trainCapturing("002-experts", command(data, steps, validation));
      if (r.planOnly()) {
        return List.of();
      }
      String theirs = BeginnersWriteup.inputData(STEPS, BATCH);
      String ours = BeginnersWriteup.ourData(data, validation, steps, BATCH);
      figures.addAll(training(run, steps, theirs, ours));
      model = run.dir().resolve("saved_model");
    } else {
      r.note("002: --model given: the photos are classified by " + model + ", not trained here");
    }
    if (r.planOnly()) {
      return List.of();
    }
    List<Path> photos = r.inputs().images();
    boolean samples = photos.isEmpty();
    if (samples) {
      Path dir = r.runDir("002-photos");
      photos = SamplePhotos.write(data.dir(), createDirectory(dir));
      r.note(
          "002: the write-up's photos (a 9, a 2, a 5) are not in the repository; no photos were"
              + " given: the first test images of a 9, a 2 and a 5 drawn as dark ink on white paper"
              + " stand in ("
              + dir
              + "), held-out test images, not photographs");
    }
    figures.addAll(PhotoRows.classify(photos, model, samples, r));
    return figures;
  }

  /** The experts command line of the write-up's protocol. */
  static String[] command(MnistData data, long steps, int validation) {
    return new String[] {
      "experts",
      "--data-dir",
      data.dir().toString(),
      "--loss",
      "mean",
      "--learning-rate",
      LEARNING_RATE,
      "--steps",
      Long.toString(steps),
      "--batch",
      Integer.toString(BATCH),
      "--keep-prob",
      KEEP_PROB,
      "--log-every",
      Integer.toString(LOG_EVERY),
      "--validation-size",
      Integer.toString(validation)
    };
  }

  /** The training accuracies at the write-up's printed steps and the test accuracy. */
  private static List<Figure> training(
      Reproduction.Trained run, long steps, String theirs, String ours) throws TfmnistException {
    Map<Long, String> printed = progress(run.output());
    List<Figure> figures = new ArrayList<>();
    for (Map.Entry<Long, String> e : TRAINING.entrySet()) {
      long step = e.getKey();
      String value =
          printed.getOrDefault(
              step,
              String.format(Locale.ROOT, "not reached (the run stopped at %,d steps)", steps));
      figures.add(
          new Figure(
              String.format(Locale.ROOT, "training accuracy (batch of 50) at step %,d", step),
              e.getValue(),
              theirs,
              value,
              ours,
              run.dir().toString()));
    }
    MetricsTable table = MetricsTable.read(run.dir().resolve("metrics.csv"));
    figures.add(
        new Figure(
            String.format(Locale.ROOT, "test accuracy after %,d steps", STEPS),
            TEST_ACCURACY,
            theirs,
            Figure.after(Figure.percent(table.last().testAccuracy(), 2), steps, STEPS, "steps"),
            ours,
            run.dir().toString()));
    return figures;
  }

  /** The "step N, training accuracy X" lines of a training command's output, by step. */
  static Map<Long, String> progress(String output) {
    Map<Long, String> byStep = new TreeMap<>();
    Matcher m = PROGRESS.matcher(output);
    while (m.find()) {
      byStep.put(Long.parseLong(m.group(1)), m.group(2));
    }
    return byStep;
  }

  private static Path createDirectory(Path dir) throws TfmnistException {
    try {
      return java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new TfmnistException(dir + ": cannot create: " + e.getMessage(), e);
    }
  }
}
