package org.tfmnist.testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;

/**
 * SavedModels unlike this project's own, built in Java (TF Java 1.1.0, no Python, no training) for
 * tests of serving any model as TF Serving does. Each builder writes a SavedModel (tag {@code
 * serve}) into {@code dir}, which must not exist or be empty, and returns {@code dir}; for TF
 * Serving's layout pass {@code base.resolve("1")}. Weights are fixed (formula-made), so every build
 * is the same model. {@link #directRun} runs a signature of any SavedModel straight through {@link
 * SavedModelBundle}: the reference a served answer is compared against.
 *
 * <ul>
 *   <li>{@link #kerasCnn}: {@code serving_default} (predict): {@code image} float [-1,28,28,1] ->
 *       {@code scores} float [-1,10] (softmax), {@code digit} int64 [-1].
 *   <li>{@link #twoInputs}: {@code serving_default}: {@code a}, {@code b} float [-1,3] -> {@code
 *       sum} float [-1,3], {@code dot} float [-1]; {@code scale}: {@code x} double [-1] -> {@code
 *       scaled} double [-1], {@code total} double [] (one scalar per request).
 *   <li>{@link #typed}: {@code serving_default}: {@code ids} int64 [-1,4] -> {@code doubled} int64
 *       [-1,4], {@code positive} bool [-1,4]; {@code echo}: {@code text} string [-1] -> {@code
 *       length} int32 [-1], {@code upper_bytes} string [-1]; {@code narrow}: {@code u8} uint8,
 *       {@code u16} uint16, {@code f16} half, {@code bf16} bfloat16 [-1,2] -> {@code total} float,
 *       {@code f16_doubled} half, {@code bf16_negated} bfloat16, {@code u8_inverted} uint8 [-1,2];
 *       {@code narrow_signed}: {@code i8} int8, {@code i16} int16 [-1,2] -> {@code total} float
 *       [-1,2] (declared and loadable, but TF Java 1.1.0 cannot make int8/int16 tensors).
 *   <li>{@link #narrowInputs}: {@code serving_default}: {@code i8} int8, {@code i16} int16, {@code
 *       u32} uint32, {@code u64} uint64 [-1,2] -> {@code total} double [-1,2] (their sum as
 *       doubles), {@code i8_echo} int8, {@code u64_echo} uint64 [-1,2]; {@code view}: {@code i8}
 *       int8 naming an Identity, not a placeholder -> {@code total} double.
 *   <li>{@link #classifier}: estimator-style on serialized {@code tf.Example}s with feature {@code
 *       x} float [2]: {@code serving_default} and {@code classification} (classify): {@code inputs}
 *       string [-1] -> {@code classes} string [-1,2] ({@link #CLASS_NAMES}), {@code scores} float
 *       [-1,2]; {@code regression} (regress): {@code inputs} -> {@code outputs} float [-1] (x0 +
 *       x1); {@code predict} (predict): {@code examples} -> {@code probabilities}, {@code logits}
 *       float [-1,2].
 *   <li>{@link #mnistClassifier}: a dense MNIST classifier with a chosen input shape and output
 *       name, logits or probabilities, plus {@code digit} int64 [-1].
 *   <li>{@link #variableLength}: {@code serving_default}: {@code tokens} float [-1,-1] -> {@code
 *       first} float [-1] (each row's first value), {@code doubled} float [-1,-1] (2 x tokens).
 *   <li>{@link #tutorialContract}: this project's own signatures, untrained (not foreign: for
 *       serving tests that need a loadable model without training one).
 * </ul>
 */
public final class ForeignModels {
  public static final String TAG = "serve";
  public static final String DEFAULT_SIGNATURE = "serving_default";
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";
  public static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
  public static final String REGRESS_METHOD = "tensorflow/serving/regress";

  /** The classifier's one feature: float [2]. */
  public static final String FEATURE = "x";

  /** The classifier's class labels, in the order of its {@code scores}. */
  public static final String[] CLASS_NAMES = {"neg", "pos"};

  private ForeignModels() {}

  /** The Keras-style CNN on MNIST-shaped images (see the class comment). */
  public static Path kerasCnn(Path dir) throws IOException {
    return build(dir, (graph, tf) -> ForeignGraphs.kerasCnn(tf));
  }

  /** Two float inputs, and a double signature with a scalar output (see the class comment). */
  public static Path twoInputs(Path dir) throws IOException {
    return build(dir, (graph, tf) -> ForeignGraphs.twoInputs(tf));
  }

  /** int64, bool, string and narrow numeric dtypes (see the class comment). */
  public static Path typed(Path dir) throws IOException {
    return build(dir, (graph, tf) -> ForeignGraphs.typed(tf));
  }

  /** int8, int16, uint32 and uint64 inputs, which TF Java cannot feed (see the class comment). */
  public static Path narrowInputs(Path dir) throws IOException {
    return build(dir, (graph, tf) -> NarrowInputGraph.build(tf));
  }

  /** Estimator-style classify/regress/predict on tf.Example (see the class comment). */
  public static Path classifier(Path dir) throws IOException {
    return build(dir, (graph, tf) -> ForeignGraphs.classifier(tf));
  }

  /**
   * A dense MNIST classifier: {@code serving_default} with input {@code inputName} float of shape
   * {@code inputDims} ({@code {-1, 784}}, {@code {-1, 28, 28}} or {@code {-1, 28, 28, 1}}), output
   * {@code outputName} float [-1,10] (raw logits when {@code logits}, else their softmax) and
   * {@code digit} int64 [-1].
   */
  public static Path mnistClassifier(
      Path dir, long[] inputDims, String inputName, String outputName, boolean logits)
      throws IOException {
    return build(
        dir,
        (graph, tf) -> ForeignGraphs.mnistClassifier(tf, inputDims, inputName, outputName, logits));
  }

  /**
   * This project's own serving contract (as {@code export.ServingSignature}: {@code
   * serving_default} {@code images} float [-1,784] -> {@code probabilities} float [-1,10], {@code
   * classes} int64 [-1]; {@code predict_pixels} {@code pixels} uint8 [-1,28,28] -> the same) with
   * fixed untrained weights: for serving tests that need a model {@code Predictor} loads, in well
   * under a second, but no accuracy.
   */
  public static Path tutorialContract(Path dir) throws IOException {
    return build(dir, (graph, tf) -> ForeignGraphs.tutorialContract(tf));
  }

  /** Rows of any length (see the class comment): for batching with padding. */
  public static Path variableLength(Path dir) throws IOException {
    return build(dir, (graph, tf) -> ForeignGraphs.variableLength(tf));
  }

  private static Path build(Path dir, BiFunction<Graph, Ops, List<Signature>> graphBuilder)
      throws IOException {
    if (Files.exists(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(dir + ": not empty; refusing to build a SavedModel there");
        }
      }
    }
    Files.createDirectories(dir);
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      List<Signature> signatures = graphBuilder.apply(graph, Ops.create(graph));
      session.initialize();
      SavedModelBundle.Exporter exporter =
          SavedModelBundle.exporter(dir.toString()).withTags(TAG).withSession(session);
      for (Signature s : signatures) {
        exporter.withSignature(s);
      }
      exporter.export();
    }
    return dir;
  }

  /**
   * Runs signature {@code signature} of the SavedModel in {@code savedModel} (tag {@code serve}) on
   * {@code inputs}, by input key, in a fresh {@link SavedModelBundle}; returns every output of the
   * signature by key, in the signature's order. Every tensor is closed here.
   */
  public static Map<String, TensorValue> directRun(
      Path savedModel, String signature, Map<String, TensorValue> inputs) {
    try (SavedModelBundle bundle =
        SavedModelBundle.loader(savedModel.toString()).withTags(TAG).load()) {
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      try {
        inputs.forEach((k, v) -> feeds.put(k, v.toTensor()));
        try (Result result = bundle.function(signature).call(feeds)) {
          Map<String, TensorValue> out = new LinkedHashMap<>();
          for (Map.Entry<String, Tensor> e : result) {
            out.put(e.getKey(), TensorValue.of(e.getValue()));
          }
          return out;
        }
      } finally {
        feeds.values().forEach(Tensor::close);
      }
    }
  }

  /** A serialized {@code tf.Example} with the classifier's float feature {@code x}. */
  public static byte[] example(float... x) {
    return example(Map.of(FEATURE, x));
  }

  /** A serialized {@code tf.Example} with float-list features, by name. */
  public static byte[] example(Map<String, float[]> floatFeatures) {
    Features.Builder features = Features.newBuilder();
    floatFeatures.forEach(
        (name, values) -> {
          FloatList.Builder list = FloatList.newBuilder();
          for (float v : values) {
            list.addValue(v);
          }
          features.putFeature(name, Feature.newBuilder().setFloatList(list).build());
        });
    return Example.newBuilder().setFeatures(features).build().toByteArray();
  }

  /** The classifier's {@code inputs}: DT_STRING [n] of serialized examples, one per {@code x}. */
  public static TensorValue examples(float[]... xs) {
    byte[][] serialized = new byte[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      serialized[i] = example(xs[i]);
    }
    return TensorValue.strings(new long[] {xs.length}, serialized);
  }

  /** {@code n} images of 784 floats (row after row in {@code pixels}) as float [n,28,28,1]. */
  public static TensorValue images(float[] pixels, int n) {
    float[] copy = java.util.Arrays.copyOf(pixels, n * 784);
    return TensorValue.floats(new long[] {n, 28, 28, 1}, copy);
  }
}
