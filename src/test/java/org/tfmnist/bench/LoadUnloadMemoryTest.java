package org.tfmnist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.export.SavedModelExporter;
import org.tfmnist.inference.Prediction;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelGraph;
import org.tfmnist.serving.BatchingOptions;
import org.tfmnist.serving.MnistSignatures;
import org.tfmnist.serving.ModelManager;

/**
 * Native memory over load/unload cycles: a version loaded, asked to predict (batched) and unloaded
 * 50 times leaves the process's resident set within 10% of its size after 5 cycles. A version kept
 * loaded on each cycle (a SavedModelBundle, Session or Graph still referenced and not closed) shows
 * here as growth of the model's size per cycle. (One closed late is freed by JavaCPP when its Java
 * object is collected, so an unclosed but unreferenced one shows little.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag("data")
class LoadUnloadMemoryTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final int WARM_CYCLES = 5;
  static final int CYCLES = 50;

  @TempDir Path tmp;

  @Test
  void fiftyLoadUnloadCyclesKeepResidentMemoryWithinTenPercent() throws Exception {
    Path model = untrainedCnn(tmp.resolve("saved_model"));
    Dataset test = MnistLoader.loadTest(TestData.mnistSmallDir());
    float[] images = Arrays.copyOf(test.images(), 784 * 8);
    long warm = 0;
    long start = System.nanoTime();
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      try (ModelManager models =
          ModelManager.forDirectory(
              "mnist", model, new BatchingOptions(true, 8, 100, 1), n -> {}, QUIET)) {
        try (ModelManager.Lease lease = models.lease("mnist", null)) {
          Prediction[] p =
              MnistSignatures.predictions(
                  lease
                      .servable()
                      .run(
                          "serving_default",
                          MnistSignatures.images(images, 8),
                          MnistSignatures.OUTPUTS,
                          ForkJoinPool.commonPool())
                      .get());
          assertEquals(8, p.length, "cycle " + cycle);
          assertEquals(10, p[7].probabilities().length);
        }
      }
      if (cycle == WARM_CYCLES) {
        System.gc(); // the Java side's garbage is not what this measures
        warm = ResidentMemoryProbe.residentKilobytes();
      }
    }
    System.gc();
    long end = ResidentMemoryProbe.residentKilobytes();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "resident memory after %d load/unload cycles: %.1f MiB; after %d: %.1f MiB (%+.1f%%),"
            + " %.0f ms per cycle%n",
        WARM_CYCLES,
        warm / 1024.0,
        CYCLES,
        end / 1024.0,
        100.0 * (end - warm) / warm,
        seconds * 1000 / CYCLES);
    assertTrue(warm > 0, "no /proc/self/status here");
    assertTrue(end <= warm * 1.10, "grew from " + warm + " kB to " + end + " kB");
  }

  /**
   * The tutorial CNN, initialised and exported untrained: 3.3 million weights (13 MB), so a version
   * left loaded on each cycle would add far more than 10% (the softmax's 31 KB of weights would
   * not: 45 of its versions leaked on purpose stayed under 10%).
   */
  private static Path untrainedCnn(Path target) throws Exception {
    try (Graph graph = new Graph()) {
      ModelGraph cnn = new DeepMnistCnn(1e-4f, 42).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        SavedModelExporter.export(session, cnn, target);
      }
    }
    return target;
  }
}
