package org.tfmnist.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/** A signature read back from a SavedModel's MetaGraphDef: key, method name, inputs and outputs. */
public record SignatureSpec(
    String key, String methodName, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  /** Every signature of {@code metaGraph} except TF's internal init marker, sorted by key. */
  public static List<SignatureSpec> readAll(MetaGraphDef metaGraph) {
    List<SignatureSpec> out = new ArrayList<>();
    metaGraph.getSignatureDefMap().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("__"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.add(of(e.getKey(), e.getValue())));
    return List.copyOf(out);
  }

  static SignatureSpec of(String key, SignatureDef def) {
    return new SignatureSpec(
        key, def.getMethodName(), specs(def.getInputsMap()), specs(def.getOutputsMap()));
  }

  /** The input or output named {@code key}, or null. */
  public TensorSpec input(String key) {
    return inputs.stream().filter(t -> t.key().equals(key)).findFirst().orElse(null);
  }

  public TensorSpec output(String key) {
    return outputs.stream().filter(t -> t.key().equals(key)).findFirst().orElse(null);
  }

  private static List<TensorSpec> specs(Map<String, TensorInfo> infos) {
    List<TensorSpec> out = new ArrayList<>();
    infos.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              TensorInfo info = e.getValue();
              TensorShapeProto shape = info.getTensorShape();
              List<Long> dims = null;
              if (!shape.getUnknownRank()) {
                dims = shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
              }
              out.add(new TensorSpec(e.getKey(), info.getName(), info.getDtype().name(), dims));
            });
    return List.copyOf(out);
  }
}
