package org.tfmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tfmnist.TestData;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistLoader;

/** The write-ups' variants of the Beginners model: the summed loss and the constant bias. */
@Tag("data")
class WriteupVariantsTest {
  private static final int BATCH = 100;
  private static final int STEPS = 5;

  /**
   * The write-up's {@code -reduce_sum} at 0.01 takes the same step as the mean at 0.01 x 100 = 1.0:
   * the gradient of a sum over 100 examples is 100 times the mean's.
   */
  @Test
  void summedLossAtOneHundredthIsTheMeanAtOne() throws Exception {
    Dataset train = MnistLoader.load(TestData.mnistSmallDir()).train();
    float[][] summed = weightsAfterSteps(new GradientDescent(0.01f), true, train);
    float[][] mean = weightsAfterSteps(new GradientDescent(1.0f), false, train);
    float[][] halfRate = weightsAfterSteps(new GradientDescent(0.5f), false, train);
    for (int v = 0; v < 2; v++) {
      double scale = maxAbs(mean[v]);
      assertTrue(scale > 1e-3, "training moved the weights");
      double diff = maxAbsDiff(summed[v], mean[v]);
      assertTrue(diff < 1e-4 * scale, "variable " + v + ": sum@0.01 vs mean@1.0 differ by " + diff);
      assertTrue(
          maxAbsDiff(halfRate[v], mean[v]) > 0.1 * scale,
          "the tutorial's mean at 0.5 is a different run: the check can tell runs apart");
    }
  }

  @Test
  void constantBiasIsNoVariable() {
    try (Graph graph = new Graph()) {
      ModelGraph model =
          new SoftmaxRegression(new GradientDescent(0.001f), InputShape.DIGITS, true, true)
              .build(graph);
      assertEquals(1, model.trainableVariables().size(), "only W is trained");
      assertEquals(640, model.parameterCount());
      assertNotNull(graph.operation("b"), "the write-up's name b is kept, as a constant");
      assertNotEquals("VariableV2", graph.operation("b").type());
    }
  }

  private static float[][] weightsAfterSteps(Optimizer optimizer, boolean sum, Dataset train) {
    try (Graph graph = new Graph()) {
      ModelGraph model =
          new SoftmaxRegression(optimizer, InputShape.MNIST, sum, false).build(graph);
      try (Session session = new Session(graph)) {
        session.initialize();
        ModelSteps steps = new ModelSteps(session, model, train, BATCH);
        for (int i = 0; i < STEPS; i++) {
          steps.trainStep(i);
        }
        List<? extends org.tensorflow.Operand<TFloat32>> vars = model.trainableVariables();
        try (Result r = session.runner().fetch(vars.get(0)).fetch(vars.get(1)).run()) {
          return new float[][] {flat((TFloat32) r.get(0)), flat((TFloat32) r.get(1))};
        }
      }
    }
  }

  private static float[] flat(TFloat32 t) {
    float[] values = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(values);
    return values;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float x : a) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
