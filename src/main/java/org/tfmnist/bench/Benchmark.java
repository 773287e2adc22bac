package org.tfmnist.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TfmnistException;
import org.tfmnist.bench.TrainingBenchmark.Setup;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.FlopCount;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.model.SoftmaxRegression;
import org.tfmnist.report.PngFile;
import org.tfmnist.runtime.CpuInfo;
import org.tfmnist.runtime.Precision;
import org.tfmnist.runtime.SessionOptions;

/**
 * Runs the measurements a {@link BenchmarkReport} holds, all in this process but the start-up
 * times.
 */
public final class Benchmark {
  /**
   * What to measure: {@code steps} timed steps per loop at batch 50 (scaled to the same number of
   * examples at other batches), {@code rounds} per figure, the matmul chain's size, {@code cli} to
   * launch child JVMs for start-up times (null: skip them), {@code latencySamples} one-image
   * predictions (0: skip), {@code sessions}: the CNN under other session options too; {@code
   * cdsCli} launches the CLI from the build's class-data-sharing archive (null: none or unusable),
   * its start-up times alternating with {@code cli}'s.
   */
  public record Plan(
      int steps,
      int rounds,
      List<Integer> batches,
      int matmulSize,
      int matmulChain,
      List<String> cli,
      List<String> cdsCli,
      int latencySamples,
      boolean sessions,
      boolean cnnOnly) {}

  /** Start-up rounds (new JVMs each); the median is reported. */
  private static final int STARTUP_ROUNDS = 3;

  private static final int WARMUP = 20;
  private final DataSplits data;
  private final Path dataDir;
  private final SessionOptions options = SessionOptions.standard();

  public Benchmark(DataSplits data, Path dataDir) {
    this.data = data;
    this.dataDir = dataDir;
  }

  public BenchmarkReport run(Plan plan, Path workDir) throws TfmnistException {
    MatmulCeiling.Rate ceiling =
        MatmulCeiling.measure(plan.matmulSize(), plan.matmulChain(), 5, options);
    List<BenchmarkReport.TrainingRate> training = trainingRates(plan, ceiling);
    if (plan.cnnOnly()) {
      return new BenchmarkReport(
          CpuInfo.modelName(),
          SessionOptions.cores(),
          options.describe(),
          ceiling,
          training,
          null,
          null,
          null,
          null,
          null,
          null,
          Precision.cpuHasBfloat16());
    }
    List<BenchmarkReport.TrainingRate> mixed = bfloat16Rates(plan, ceiling);
    TrainingBenchmark.Figures loop =
        TrainingBenchmark.run(cnn(), data, 50, 0.5f, plan.steps(), WARMUP, plan.rounds());
    List<BenchmarkReport.TrainingRate> variants =
        plan.sessions() ? allSessionVariants(plan, ceiling, workDir) : null;
    Startup startup = new Startup(null, null);
    PredictLatency.Figures latency = null;
    if (plan.cli() != null || plan.latencySamples() > 0) {
      Path model = exportCnn(workDir.resolve("saved_model"));
      if (plan.latencySamples() > 0) {
        latency = PredictLatency.measure(model, firstTestImage(), 50, plan.latencySamples());
      }
      if (plan.cli() != null) {
        startup = startupTimes(plan, model, workDir);
      }
    }
    return new BenchmarkReport(
        CpuInfo.modelName(),
        SessionOptions.cores(),
        options.describe(),
        ceiling,
        training,
        new BenchmarkReport.Loop(
            50,
            TrainingBenchmark.Figures.mean(loop.bare()),
            TrainingBenchmark.Figures.mean(loop.trainer()),
            loop.ratio()),
        startup.plain(),
        startup.cds(),
        latency,
        variants,
        mixed,
        Precision.cpuHasBfloat16());
  }

  /** The CNN's rate at each batch size with bfloat16 mixed precision. */
  private List<BenchmarkReport.TrainingRate> bfloat16Rates(Plan plan, MatmulCeiling.Rate ceiling)
      throws TfmnistException {
    List<BenchmarkReport.TrainingRate> rates = new ArrayList<>();
    for (int b : plan.batches()) {
      rates.add(rate(cnn(), Precision.BFLOAT16.id(), options.withBfloat16(true), b, plan, ceiling));
    }
    return rates;
  }

  /** The in-process session variants, then (with a CLI to launch) the oneDNN on/off children. */
  private List<BenchmarkReport.TrainingRate> allSessionVariants(
      Plan plan, MatmulCeiling.Rate ceiling, Path workDir) throws TfmnistException {
    List<BenchmarkReport.TrainingRate> variants = sessionVariants(plan, ceiling);
    if (plan.cli() != null) {
      variants.addAll(new OneDnnVariants(plan.cli(), dataDir, workDir).measure(plan, ceiling));
    }
    return variants;
  }

  /** Start-up times without and with the class-data-sharing archive (either may be null). */
  private record Startup(StartupTimes.Figures plain, StartupTimes.Figures cds) {}

  /** Each model's training rate at each of the plan's batch sizes, standard session options. */
  private List<BenchmarkReport.TrainingRate> trainingRates(Plan plan, MatmulCeiling.Rate ceiling)
      throws TfmnistException {
    List<BenchmarkReport.TrainingRate> training = new ArrayList<>();
    List<ModelBuilder> models =
        plan.cnnOnly() ? List.of(cnn()) : List.of(new SoftmaxRegression(0.5f), cnn());
    for (ModelBuilder model : models) {
      for (int batch : plan.batches()) {
        training.add(rate(model, "standard", options, batch, plan, ceiling));
      }
    }
    return training;
  }

  /**
   * The median start-up times of the CLI without and with the class-data-sharing archive (null when
   * there is none), launched in ABBA order so neither side always launches first.
   */
  private Startup startupTimes(Plan plan, Path model, Path workDir) throws TfmnistException {
    Path image = writeImage(workDir.resolve("digit.png"));
    StartupTimes plain = new StartupTimes(plan.cli(), workDir);
    StartupTimes shared = plan.cdsCli() == null ? null : new StartupTimes(plan.cdsCli(), workDir);
    List<StartupTimes.Figures> plainRounds = new ArrayList<>();
    List<StartupTimes.Figures> sharedRounds = new ArrayList<>();
    for (int round = 0; round < STARTUP_ROUNDS; round++) {
      boolean sharedFirst = shared != null && round % 2 == 1;
      if (sharedFirst) {
        sharedRounds.add(shared.measure(dataDir, model, image));
      }
      plainRounds.add(plain.measure(dataDir, model, image));
      if (shared != null && !sharedFirst) {
        sharedRounds.add(shared.measure(dataDir, model, image));
      }
    }
    return new Startup(
        StartupTimes.Figures.median(plainRounds),
        shared == null ? null : StartupTimes.Figures.median(sharedRounds));
  }

  private static ModelBuilder cnn() {
    return new DeepMnistCnn(1e-4f, 42);
  }

  /** Bare-loop rate of {@code model} at {@code batch}, median of the rounds. */
  private BenchmarkReport.TrainingRate rate(
      ModelBuilder model,
      String setting,
      SessionOptions session,
      int batch,
      Plan plan,
      MatmulCeiling.Rate ceiling)
      throws TfmnistException {
    double[] rounds =
        TrainingBenchmark.interleaved(
            List.of(new Setup(model, session)),
            data,
            batch,
            keepProb(model),
            steps(model, batch, plan),
            WARMUP,
            plan.rounds())[0];
    return rateOf(model, setting, batch, Percentiles.median(rounds), ceiling);
  }

  /** The CNN at batch 50 under each session setting, rounds alternating between them. */
  private List<BenchmarkReport.TrainingRate> sessionVariants(Plan plan, MatmulCeiling.Rate ceiling)
      throws TfmnistException {
    int cores = SessionOptions.cores();
    List<SessionOptions> settings =
        List.of(
            options,
            SessionOptions.tensorflowDefaults(),
            new SessionOptions(cores, 1, false),
            new SessionOptions(cores, 2, false),
            new SessionOptions(1, cores, false),
            options.withXla(true),
            options.withBfloat16(true));
    List<Setup> setups = settings.stream().map(s -> new Setup(cnn(), s)).toList();
    double[][] figures =
        TrainingBenchmark.interleaved(setups, data, 50, 0.5f, plan.steps(), WARMUP, plan.rounds());
    List<BenchmarkReport.TrainingRate> rates = new ArrayList<>();
    for (int i = 0; i < settings.size(); i++) {
      rates.add(
          rateOf(cnn(), settings.get(i).describe(), 50, Percentiles.median(figures[i]), ceiling));
    }
    return rates;
  }

  static BenchmarkReport.TrainingRate rateOf(
      ModelBuilder model,
      String setting,
      int batch,
      double examplesPerSecond,
      MatmulCeiling.Rate ceiling) {
    FlopCount flops;
    try (Graph graph = new Graph()) {
      flops = FlopCount.of(model.build(graph));
    }
    double gflops = examplesPerSecond * flops.training() / 1e9;
    return new BenchmarkReport.TrainingRate(
        model.name(),
        setting,
        batch,
        flops.forward(),
        flops.training(),
        examplesPerSecond,
        gflops,
        gflops / ceiling.gflops());
  }

  private static float keepProb(ModelBuilder model) {
    return model instanceof DeepMnistCnn ? 0.5f : 1f;
  }

  /** The same number of examples at every batch size; softmax steps are cheap, so 20 times more. */
  private static int steps(ModelBuilder model, int batch, Plan plan) {
    int steps = Math.max(1, (int) ((long) plan.steps() * 50 / batch));
    return model instanceof DeepMnistCnn ? steps : steps * 20;
  }

  /**
   * A freshly initialised tutorial CNN exported as a SavedModel (its weights do not change the
   * timings).
   */
  private Path exportCnn(Path target) throws TfmnistException {
    try (Graph graph = new Graph()) {
      ModelGraph model = cnn().build(graph);
      try (Session session = options.open(graph)) {
        session.initialize();
        SavedModelExporter.export(session, model, target);
      }
    }
    return target;
  }

  private float[] firstTestImage() {
    Dataset test = data.test();
    float[] image = new float[test.features()];
    test.copyImage(0, image, 0);
    return image;
  }

  /** The first test image as a PNG, white digit on black as MNIST stores it. */
  private Path writeImage(Path file) throws TfmnistException {
    float[] pixels = firstTestImage();
    int side = (int) Math.round(Math.sqrt(pixels.length));
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < pixels.length; i++) {
      int v = Math.round(pixels[i] * 255);
      image.getRaster().setSample(i % side, i / side, 0, v);
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new TfmnistException(file.getParent() + ": cannot create: " + e.getMessage(), e);
    }
    PngFile.write(image, file);
    return file;
  }
}
