package org.tfmnist.serving;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tfmnist.serving.tensor.HostTensor;
import tensorflow.serving.Classification.Class;
import tensorflow.serving.Classification.ClassificationResult;
import tensorflow.serving.Classification.Classifications;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.RegressionOuterClass.Regression;
import tensorflow.serving.RegressionOuterClass.RegressionResult;

/**
 * TF Serving's Classify and Regress on SavedModel signatures with TF's classify and regress method
 * names: the examples of an {@link Input} serialized into the signature's {@code inputs} string
 * tensor (an example list with context gives each example the context's features, as TF Serving's
 * proto concatenation does), run on the one predict path as a {@link PredictRequest}, and the
 * {@code classes}/{@code scores} or {@code outputs} tensors read back into TF Serving's results. A
 * signature of another method gets TF Serving's error.
 */
public final class Inference {
  /** The classify signature's method name, as TF defines it. */
  public static final String CLASSIFY = "tensorflow/serving/classify";

  /** The regress signature's method name. */
  public static final String REGRESS = "tensorflow/serving/regress";

  private static final String INPUTS = "inputs";

  private Inference() {}

  /** The serialized examples of {@code input}, each merged with the context when there is one. */
  public static List<byte[]> serialize(Input input) throws ApiException {
    List<byte[]> out = new ArrayList<>();
    switch (input.getKindCase()) {
      case EXAMPLE_LIST ->
          input.getExampleList().getExamplesList().forEach(e -> out.add(e.toByteArray()));
      case EXAMPLE_LIST_WITH_CONTEXT -> {
        ByteString context = input.getExampleListWithContext().getContext().toByteString();
        for (Example e : input.getExampleListWithContext().getExamplesList()) {
          out.add(context.concat(e.toByteString()).toByteArray()); // a proto merge
        }
      }
      default -> throw new ApiException(400, "Input is empty");
    }
    if (out.isEmpty()) {
      throw new ApiException(400, "Input is empty");
    }
    return out;
  }

  /**
   * The request a classify call makes on {@code def}, or TF Serving's error: the method name is
   * checked before the examples are made ({@code examples} runs only then).
   */
  public static PredictRequest classify(SignatureDef def, String key, Examples examples)
      throws ApiException {
    requireMethod(def, CLASSIFY, "classification");
    List<String> outputs = new ArrayList<>();
    for (String alias : List.of("classes", "scores")) {
      if (def.getOutputsMap().containsKey(alias)) {
        outputs.add(alias);
      }
    }
    if (outputs.isEmpty()) {
      throw new ApiException(
          400, "Expected classification signature outputs to contain classes or scores");
    }
    return request(def, key, examples, outputs);
  }

  /** The request a regress call makes on {@code def}, or TF Serving's error. */
  public static PredictRequest regress(SignatureDef def, String key, Examples examples)
      throws ApiException {
    requireMethod(def, REGRESS, "regression");
    if (!def.getOutputsMap().containsKey("outputs")) {
      throw new ApiException(400, "No regression outputs found in signature");
    }
    return request(def, key, examples, List.of("outputs"));
  }

  private static void requireMethod(SignatureDef def, String method, String kind)
      throws ApiException {
    if (!def.getMethodName().equals(method)) {
      throw new ApiException(
          400,
          "Expected "
              + kind
              + " signature method_name to be "
              + method
              + ". Was: "
              + def.getMethodName());
    }
  }

  /** The serialized examples of a request, made once the signature is known to accept them. */
  @FunctionalInterface
  public interface Examples {
    List<byte[]> get() throws ApiException;
  }

  private static PredictRequest request(
      SignatureDef def, String key, Examples made, List<String> outputs) throws ApiException {
    TensorInfo in = def.getInputsMap().get(INPUTS);
    if (def.getInputsCount() != 1 || in == null || in.getDtype() != DataType.DT_STRING) {
      throw new ApiException(
          400, "Expected one input tensor 'inputs' of serialized tf.Examples (DT_STRING)");
    }
    List<byte[]> examples = made.get();
    HostTensor serialized =
        HostTensor.strings(new long[] {examples.size()}, examples.toArray(byte[][]::new));
    return new PredictRequest(key, Map.of(INPUTS, serialized), outputs, false);
  }

  /** One Classifications per example: each class's label and score, as the tensors hold them. */
  public static ClassificationResult classification(Map<String, HostTensor> outputs)
      throws ApiException {
    HostTensor any = outputs.values().iterator().next();
    int n = (int) Math.max(any.rows(), 0);
    HostTensor classes = outputs.get("classes");
    HostTensor scores = outputs.get("scores");
    HostTensor shaped = scores != null ? scores : classes;
    if (shaped.rank() != 2 || shaped.rows() != n) {
      throw new ApiException(
          400, "Expected classification output of shape [" + n + ", num_classes]");
    }
    int k = (int) shaped.shape()[1];
    if (classes != null && scores != null && classes.size() != scores.size()) {
      throw new ApiException(400, "Tensors class and score should match in shape");
    }
    ClassificationResult.Builder result = ClassificationResult.newBuilder();
    for (int i = 0; i < n; i++) {
      Classifications.Builder c = Classifications.newBuilder();
      for (int j = 0; j < k; j++) {
        Class.Builder one = Class.newBuilder();
        if (classes != null) {
          one.setLabel(
              new String(classes.bytesAt(i * k + j), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (scores != null) {
          one.setScore((float) scores.doubleAt(i * k + j));
        }
        c.addClasses(one);
      }
      result.addClassifications(c);
    }
    return result.build();
  }

  /** One Regression per example from the {@code outputs} tensor ([n] or [n, 1]). */
  public static RegressionResult regression(Map<String, HostTensor> outputs) throws ApiException {
    HostTensor values = outputs.get("outputs");
    int n = (int) Math.max(values.rows(), 0);
    if (values.size() != n || values.rows() != n || values.rank() > 2) {
      throw new ApiException(
          400, "Expected output Tensor shape to be [" + n + "] or [" + n + ", 1]");
    }
    RegressionResult.Builder result = RegressionResult.newBuilder();
    for (int i = 0; i < n; i++) {
      result.addRegressions(Regression.newBuilder().setValue((float) values.doubleAt(i)));
    }
    return result.build();
  }
}
