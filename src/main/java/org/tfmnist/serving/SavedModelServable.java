package org.tfmnist.serving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.tensor.DType;
import org.tfmnist.serving.tensor.HostTensor;
import org.tfmnist.serving.tensor.NativeTensors;

/**
 * Any SavedModel, loaded as TF Serving loads one: the meta graph of the given tags, every signature
 * as declared, no expectation about names, dtypes or shapes. Loading checks only that each
 * signature's tensors are in the graph. A run feeds and fetches the signature's tensors by name in
 * the bundle's session (thread-safe; {@link #close} waits for runs in progress). Inputs of dtypes
 * TF Java has no tensors of are loaded from a {@link WideFeedShadow} and fed widened.
 */
public final class SavedModelServable implements Servable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final WideFeedShadow shadow; // null: loaded from dir itself
  private final Map<String, SignatureDef> signatures;
  private final Map<String, String> widened = new TreeMap<>(); // tensor name -> its cast's name
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private SavedModelServable(Path dir, SavedModelBundle bundle, WideFeedShadow shadow) {
    this.dir = dir;
    this.bundle = bundle;
    this.shadow = shadow;
    Map<String, SignatureDef> defs = new TreeMap<>(bundle.metaGraphDef().getSignatureDefMap());
    defs.keySet().removeIf(k -> k.startsWith("__")); // TF's __saved_model_init_op marker
    this.signatures = Collections.unmodifiableMap(defs);
  }

  /** Loads the meta graph of {@code tags} from {@code dir}; a one-line error says why not. */
  public static SavedModelServable load(Path dir, Set<String> tags, SessionOptions options)
      throws TfmnistException {
    return load(dir, tags, options, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** As {@link #load(Path, Set, SessionOptions)}, a shadow (if one is needed) under scratch. */
  static SavedModelServable load(Path dir, Set<String> tags, SessionOptions options, Path scratch)
      throws TfmnistException {
    if (!Files.isDirectory(dir)) {
      throw new TfmnistException(dir + ": no such directory (expected a SavedModel directory)");
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))
        && !Files.isRegularFile(dir.resolve("saved_model.pbtxt"))) {
      throw new TfmnistException(dir + ": not a SavedModel (no saved_model.pb)");
    }
    WideFeedShadow shadow = WideFeedShadow.of(dir, tags, scratch);
    SavedModelBundle bundle = null;
    try {
      bundle = bundle(dir, shadow, tags, options);
      SavedModelServable servable = new SavedModelServable(dir, bundle, shadow);
      servable.resolve();
      return servable;
    } catch (TfmnistException | RuntimeException e) {
      if (bundle != null) {
        bundle.close();
      }
      if (shadow != null) {
        shadow.close();
      }
      throw e;
    }
  }

  private static SavedModelBundle bundle(
      Path dir, WideFeedShadow shadow, Set<String> tags, SessionOptions options)
      throws TfmnistException {
    Path from = shadow == null ? dir : shadow.dir();
    try {
      return SavedModelBundle.loader(from.toString())
          .withTags(tags.toArray(String[]::new))
          .withConfigProto(options.toConfig())
          .load();
    } catch (RuntimeException e) {
      throw new TfmnistException(
          dir
              + ": cannot load SavedModel with tags "
              + String.join(",", tags)
              + ": "
              + TfmnistException.firstLine(e.getMessage()).replace(from.toString(), dir.toString()),
          e);
    }
  }

  /** Checks that every signature tensor is in the graph; widens outputs Java cannot fetch. */
  private void resolve() throws TfmnistException {
    Graph graph = bundle.graph();
    Ops tf = Ops.create(graph);
    for (Map.Entry<String, SignatureDef> s : signatures.entrySet()) {
      for (Map.Entry<String, TensorInfo> e : s.getValue().getInputsMap().entrySet()) {
        output(graph, s.getKey(), "input", e.getKey(), e.getValue());
      }
      for (Map.Entry<String, TensorInfo> e : s.getValue().getOutputsMap().entrySet()) {
        org.tensorflow.Output<?> out =
            output(graph, s.getKey(), "output", e.getKey(), e.getValue());
        DType dtype = DType.of(e.getValue().getDtype());
        DType wider = dtype == null ? null : NativeTensors.wider(dtype);
        if (out != null && wider != null && !widened.containsKey(e.getValue().getName())) {
          // built raw: Output.expect and tf.dtypes.cast need a Java tensor type for the source
          org.tensorflow.Operation cast =
              tf.scope()
                  .opBuilder("Cast", "Cast")
                  .addInput(out)
                  .setAttr("DstT", wider.proto())
                  .setAttr("Truncate", false)
                  .build();
          widened.put(e.getValue().getName(), cast.name());
        }
      }
    }
  }

  /** The graph output a TensorInfo names; null for sparse or composite tensors (not fed here). */
  private org.tensorflow.Output<?> output(
      Graph graph, String key, String side, String alias, TensorInfo info) throws TfmnistException {
    if (info.getEncodingCase() != TensorInfo.EncodingCase.NAME) {
      return null;
    }
    String name = info.getName();
    int colon = name.lastIndexOf(':');
    String op = colon < 0 ? name : name.substring(0, colon);
    int index = colon < 0 ? 0 : parseIndex(name.substring(colon + 1));
    GraphOperation operation = graph.operation(op);
    if (operation == null || index < 0 || index >= operation.numOutputs()) {
      throw new TfmnistException(
          dir
              + ": signature '"
              + key
              + "' "
              + side
              + " '"
              + alias
              + "' names tensor '"
              + name
              + "', which is not in the graph");
    }
    return operation.output(index);
  }

  private static int parseIndex(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The meta graph loaded: its signatures, saver and graph. */
  public org.tensorflow.proto.MetaGraphDef metaGraphDef() {
    return bundle.metaGraphDef();
  }

  /** The model's directory. */
  public Path dir() {
    return dir;
  }

  /** The directory the session was loaded from: {@link #dir}, or the shadow that widens inputs. */
  Path loadedFrom() {
    return shadow == null ? dir : shadow.dir();
  }

  @Override
  public Map<String, SignatureDef> signatures() {
    return signatures;
  }

  @Override
  public Map<String, HostTensor> run(
      String key, Map<String, HostTensor> inputs, List<String> outputs) throws ApiException {
    SignatureDef def = signatures.get(key);
    List<Tensor> fed = new ArrayList<>();
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("model " + dir + " is closed");
      }
      Session.Runner runner = bundle.session().runner();
      for (Map.Entry<String, HostTensor> e : inputs.entrySet()) {
        HostTensor t = e.getValue();
        String name = def.getInputsOrThrow(e.getKey()).getName();
        String wide = shadow == null ? null : shadow.feeds().get(name);
        if (wide != null) {
          t = NativeTensors.widen(t);
          name = wide;
        } else if (!NativeTensors.feedable(t.dtype())) {
          throw new ApiException(400, unfeedable(e.getKey(), t.dtype()));
        }
        Tensor tensor = NativeTensors.toTensor(t);
        fed.add(tensor);
        runner.feed(name, tensor);
      }
      for (String alias : outputs) {
        String name = def.getOutputsOrThrow(alias).getName();
        runner.fetch(widened.getOrDefault(name, name));
      }
      try (Result result = runner.run()) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
          DType declared = DType.of(def.getOutputsOrThrow(outputs.get(i)).getDtype());
          out.put(outputs.get(i), NativeTensors.fromTensor(result.get(i), declared));
        }
        return out;
      }
    } catch (TFInvalidArgumentException e) {
      throw new ApiException(400, TfmnistException.firstLine(e.getMessage()));
    } finally {
      lock.readLock().unlock();
      fed.forEach(Tensor::close);
    }
  }

  private static String unfeedable(String alias, DType dtype) {
    return "input '"
        + alias
        + "' is "
        + dtype.tfName()
        + ": TensorFlow Java cannot feed "
        + dtype.tfName()
        + " tensors, and the input is not a Placeholder that could be fed a wider dtype";
  }

  /** Closes the session once no run is in progress; deletes the shadow it was loaded from. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
        if (shadow != null) {
          shadow.close();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
