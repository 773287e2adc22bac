package org.tfmnist.serving.tensor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The tensors of a TF Serving REST predict body, typed by the signature it asks for, as TF Serving
 * reads them: row format ({@code "instances"}: a list with one entry per example, each a value or,
 * for several inputs, an object of named values) or columnar format ({@code "inputs"}: a value, or
 * an object of named values). A value is a number, bool, string, {@code {"b64": "..."}} (the bytes
 * of a string tensor), or a rectangular nest of lists of them. Every problem is a {@link
 * BadJsonException} naming where it is.
 */
public final class JsonTensorReader {
  private JsonTensorReader() {}

  /** A body TF Serving would refuse (400). */
  public static final class BadJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadJsonException(String message) {
      super(message);
    }
  }

  /** Whether {@code root} is in row format ({@code instances}); checks it holds one format. */
  public static boolean rows(JsonObject root) throws BadJsonException {
    boolean instances = root.has("instances");
    boolean inputs = root.has("inputs");
    if (instances && inputs) {
      throw new BadJsonException(
          "Not formatted correctly expecting only one of 'inputs' or 'instances' keys exists");
    }
    if (!instances && !inputs) {
      throw new BadJsonException("Missing 'inputs' or 'instances' key");
    }
    return instances;
  }

  /** The input tensors of {@code root} for {@code signature}, by alias. */
  public static Map<String, HostTensor> inputs(JsonObject root, SignatureDef signature)
      throws BadJsonException {
    Map<String, TensorInfo> declared = signature.getInputsMap();
    return rows(root)
        ? instances(root.get("instances"), declared)
        : columns(root.get("inputs"), declared);
  }

  private static Map<String, HostTensor> columns(
      JsonElement value, Map<String, TensorInfo> declared) throws BadJsonException {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    if (isNamed(value)) {
      for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
        out.put(
            e.getKey(),
            tensor(
                List.of(e.getValue()), false, dtype(declared, e.getKey()), "inputs." + e.getKey()));
      }
      return out;
    }
    String alias = onlyInput(declared, "inputs");
    out.put(alias, tensor(List.of(value), false, dtype(declared, alias), "inputs"));
    return out;
  }

  private static Map<String, HostTensor> instances(
      JsonElement value, Map<String, TensorInfo> declared) throws BadJsonException {
    if (!value.isJsonArray()) {
      throw new BadJsonException("Expecting 'instances' to be an list/array");
    }
    JsonArray list = value.getAsJsonArray();
    if (list.isEmpty()) {
      throw new BadJsonException("No valid inputs found: 'instances' is empty");
    }
    Map<String, HostTensor> out = new LinkedHashMap<>();
    if (!isNamed(list.get(0))) {
      String alias = onlyInput(declared, "instances");
      List<JsonElement> rows = new ArrayList<>();
      list.forEach(rows::add);
      out.put(alias, tensor(rows, true, dtype(declared, alias), "instances"));
      return out;
    }
    TreeSet<String> keys = new TreeSet<>(list.get(0).getAsJsonObject().keySet());
    Map<String, List<JsonElement>> columns = new LinkedHashMap<>();
    keys.forEach(k -> columns.put(k, new ArrayList<>()));
    for (int i = 0; i < list.size(); i++) {
      JsonElement item = list.get(i);
      if (!isNamed(item) || !new TreeSet<>(item.getAsJsonObject().keySet()).equals(keys)) {
        throw new BadJsonException(
            "instances["
                + i
                + "]: expecting an object with the same keys as instances[0]: "
                + keys);
      }
      for (String k : keys) {
        columns.get(k).add(item.getAsJsonObject().get(k));
      }
    }
    for (Map.Entry<String, List<JsonElement>> c : columns.entrySet()) {
      out.put(
          c.getKey(),
          tensor(c.getValue(), true, dtype(declared, c.getKey()), "instances[*]." + c.getKey()));
    }
    return out;
  }

  /** An object of named values, as opposed to a {@code {"b64": ...}} value. */
  private static boolean isNamed(JsonElement e) {
    return e.isJsonObject() && !isB64(e);
  }

  private static boolean isB64(JsonElement e) {
    return e.isJsonObject() && e.getAsJsonObject().size() == 1 && e.getAsJsonObject().has("b64");
  }

  private static String onlyInput(Map<String, TensorInfo> declared, String key)
      throws BadJsonException {
    if (declared.size() != 1) {
      throw new BadJsonException(
          "'"
              + key
              + "' holds a plain value or list, but the signature has "
              + declared.size()
              + " inputs "
              + new TreeSet<>(declared.keySet())
              + ": name them in an object");
    }
    return declared.keySet().iterator().next();
  }

  /**
   * The declared dtype of an input; an alias the signature lacks is left to the signature check.
   */
  private static DType dtype(Map<String, TensorInfo> declared, String alias)
      throws BadJsonException {
    TensorInfo info = declared.get(alias);
    if (info == null) {
      return DType.FLOAT; // parsed for the check's message (input size does not match)
    }
    DType d = DType.of(info.getDtype());
    if (d == null) {
      throw new BadJsonException(
          "input '" + alias + "' is " + DType.tfName(info.getDtype()) + ": not servable in JSON");
    }
    return d;
  }

  /**
   * One tensor from {@code items}: with {@code stacked}, each item is one row of it (the row
   * format); else the only item is the whole tensor.
   */
  private static HostTensor tensor(List<JsonElement> items, boolean stacked, DType dtype, String at)
      throws BadJsonException {
    List<Long> shape = new ArrayList<>();
    if (stacked) {
      shape.add((long) items.size());
    }
    JsonElement probe = items.get(0);
    while (probe.isJsonArray()) {
      JsonArray a = probe.getAsJsonArray();
      shape.add((long) a.size());
      if (a.isEmpty()) {
        break;
      }
      probe = a.get(0);
    }
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    long elements = 1;
    for (long d : dims) {
      elements *= d;
    }
    // sized from the first row (bounded: a later row may be shorter, the body is then refused)
    List<JsonElement> leaves = new ArrayList<>((int) Math.min(Math.max(elements, 1), 1 << 16));
    int depth = stacked ? 1 : 0;
    for (int i = 0; i < items.size(); i++) {
      flatten(items.get(i), dims, depth, stacked ? at + "[" + i + "]" : at, leaves);
    }
    if (dtype == DType.STRING) {
      byte[][] values = new byte[leaves.size()][];
      for (int i = 0; i < values.length; i++) {
        values[i] = JsonValues.bytes(leaves.get(i), JsonValues.where(at, dims, i, stacked));
      }
      return HostTensor.strings(dims, values);
    }
    ElementBuffer out = new ElementBuffer(dtype, leaves.size());
    for (int i = 0; i < leaves.size(); i++) {
      JsonValues.number(out, i, leaves.get(i), dtype, at, dims, stacked);
    }
    return out.tensor(dims);
  }

  private static void flatten(
      JsonElement e, long[] dims, int depth, String at, List<JsonElement> leaves)
      throws BadJsonException {
    if (depth == dims.length) {
      if (e.isJsonArray() || (e.isJsonObject() && !isB64(e)) || e.isJsonNull()) {
        throw new BadJsonException(at + ": expected a value, got " + kind(e));
      }
      leaves.add(e);
      return;
    }
    if (!e.isJsonArray() || e.getAsJsonArray().size() != dims[depth]) {
      throw new BadJsonException(
          at
              + ": expected a list of "
              + dims[depth]
              + " entries (the shape of the first), got "
              + kind(e));
    }
    JsonArray a = e.getAsJsonArray();
    for (int i = 0; i < a.size(); i++) {
      flatten(a.get(i), dims, depth + 1, at + "[" + i + "]", leaves);
    }
  }

  private static String kind(JsonElement e) {
    if (e.isJsonArray()) {
      return "a list of " + e.getAsJsonArray().size();
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonNull()) {
      return "null";
    }
    return e.toString();
  }
}
