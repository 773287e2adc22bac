package org.tfmnist.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.LearningRateSchedule;
import org.tfmnist.model.OptimizerKind;
import org.tfmnist.runtime.Precision;

/**
 * {@link RunSettings} as {@code run.properties} spells them. Keys a run recorded before they
 * existed read as the value such runs had (e.g. no {@code optimizer}: the tutorial's).
 */
final class RunProperties {
  private RunProperties() {}

  static void write(RunSettings s, Path runDir, Map<String, String> extra) throws TfmnistException {
    Properties p = new Properties();
    p.setProperty("command", s.command());
    p.setProperty("model", s.model());
    p.setProperty("dataset", s.dataset());
    p.setProperty("data-dir", s.dataPath().toAbsolutePath().normalize().toString());
    p.setProperty("steps", Long.toString(s.steps()));
    p.setProperty("epochs", Integer.toString(s.epochs()));
    p.setProperty("batch", Integer.toString(s.batch()));
    p.setProperty("optimizer", s.optimizer().id());
    p.setProperty("learning-rate", Float.toString(s.learningRate()));
    p.setProperty("keep-prob", Float.toString(s.keepProb()));
    p.setProperty("seed", Long.toString(s.seed()));
    p.setProperty("log-every", Integer.toString(s.logEvery()));
    p.setProperty("validation-split", Double.toString(s.validationSplit()));
    p.setProperty("shuffle-labels", Boolean.toString(s.shuffleLabels()));
    p.setProperty("lr-schedule", s.lrSchedule().id());
    p.setProperty("augment-shift", Integer.toString(s.augmentShift()));
    p.setProperty("precision", s.precision().id());
    s.variant().write(p);
    extra.forEach(p::setProperty);
    RunDirectory.writeSettings(runDir, p);
  }

  static RunSettings read(Path runDir, String command) throws TfmnistException {
    Properties p = RunDirectory.readSettings(runDir);
    Path file = runDir.resolve(RunDirectory.SETTINGS);
    String recorded = p.getProperty("command");
    if (recorded != null && !recorded.equals(command)) {
      throw new TfmnistException(
          runDir
              + ": is a '"
              + recorded
              + "' run; continue it with: "
              + recorded
              + " --resume "
              + runDir);
    }
    RunSettings settings;
    try {
      settings = parse(p, file, command);
    } catch (NumberFormatException e) {
      throw new TfmnistException(file + ": malformed number: " + e.getMessage(), e);
    }
    String problem = settings.problem(0);
    if (problem != null) {
      throw new TfmnistException(file + ": " + problem);
    }
    return settings;
  }

  private static RunSettings parse(Properties p, Path file, String command)
      throws TfmnistException {
    boolean beginners = command.equals("beginners");
    return RunSettings.builder(command)
        .model(p.getProperty("model", beginners ? "softmax" : "cnn").trim())
        .dataset(p.getProperty("dataset", "mnist").trim())
        .dataPath(Path.of(required(p, file, "data-dir")))
        .steps(Long.parseLong(required(p, file, "steps")))
        .epochs(Integer.parseInt(required(p, file, "epochs")))
        .batch(Integer.parseInt(required(p, file, "batch")))
        .optimizer(named(p, file, "optimizer", beginners ? "sgd" : "adam", OptimizerKind::parse))
        .learningRate(Float.parseFloat(required(p, file, "learning-rate")))
        .keepProb(Float.parseFloat(required(p, file, "keep-prob")))
        .seed(Long.parseLong(required(p, file, "seed")))
        .logEvery(Integer.parseInt(required(p, file, "log-every")))
        .validationSplit(Double.parseDouble(p.getProperty("validation-split", "0").trim()))
        .shuffleLabels(Boolean.parseBoolean(p.getProperty("shuffle-labels", "false").trim()))
        .lrSchedule(named(p, file, "lr-schedule", "constant", LearningRateSchedule::parse))
        .augmentShift(Integer.parseInt(p.getProperty("augment-shift", "0").trim()))
        .precision(named(p, file, "precision", "float32", Precision::parse))
        .variant(RunVariant.read(p, file))
        .build();
  }

  /** The enum constant {@code key} names (or {@code fallback} names when absent). */
  private static <E> E named(
      Properties p, Path file, String key, String fallback, Function<String, E> parse)
      throws TfmnistException {
    String text = p.getProperty(key, fallback);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new TfmnistException(file + ": " + key + " " + e.getMessage());
    }
  }

  private static String required(Properties p, Path file, String key) throws TfmnistException {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new TfmnistException(file + ": missing '" + key + "'");
    }
    return value.trim();
  }
}
