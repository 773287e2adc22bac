package org.tfmnist.serving;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.tensor.DType;
import org.tfmnist.serving.tensor.NativeTensors;

/**
 * A shadow of a SavedModel whose signature inputs of int8, int16, uint32 or uint64 (dtypes TF Java
 * 1.1.0 has no tensors of) are the output 0 of a {@code Placeholder}: in its {@code saved_model.pb}
 * each such placeholder {@code x} is renamed {@code x/tfmnist_wide_feed}, of the {@link
 * NativeTensors#wider wider} dtype, and a new {@code Cast} named {@code x} reads it, so that every
 * consumer and every signature still see {@code x:0} of the declared dtype. Every other entry of
 * the model's directory ({@code variables/}, {@code assets/}, ...) is a symbolic link to the
 * original; nothing is copied. {@link #close} deletes the shadow (the links, never their targets).
 */
final class WideFeedShadow implements AutoCloseable {
  static final String SUFFIX = "/tfmnist_wide_feed";
  private static final String PB = "saved_model.pb";
  private static final String PBTXT = "saved_model.pbtxt";

  private final Path dir;
  private final Map<String, String> feeds;

  private WideFeedShadow(Path dir, Map<String, String> feeds) {
    this.dir = dir;
    this.feeds = Collections.unmodifiableMap(feeds);
  }

  /** The shadow's directory: the SavedModel to load instead. */
  Path dir() {
    return dir;
  }

  /** Each rewritten signature tensor, by its name as declared, to the tensor to feed instead. */
  Map<String, String> feeds() {
    return feeds;
  }

  /**
   * The shadow of {@code model}'s meta graph of {@code tags}, in a new directory under {@code
   * scratch}; null when no input needs one, or when the SavedModel does not read (its loader then
   * says why).
   */
  static WideFeedShadow of(Path model, Set<String> tags, Path scratch) throws TfmnistException {
    SavedModel saved = read(model);
    if (saved == null) {
      return null;
    }
    for (int m = 0; m < saved.getMetaGraphsCount(); m++) {
      MetaGraphDef meta = saved.getMetaGraphs(m);
      if (new HashSet<>(meta.getMetaInfoDef().getTagsList()).equals(tags)) { // as TF's loader
        Map<String, String> feeds = new TreeMap<>();
        GraphDef graph = rewrite(meta, feeds);
        if (feeds.isEmpty()) {
          return null;
        }
        SavedModel shadow =
            saved.toBuilder().setMetaGraphs(m, meta.toBuilder().setGraphDef(graph)).build();
        return new WideFeedShadow(write(model, shadow, scratch), feeds);
      }
    }
    return null;
  }

  private static SavedModel read(Path model) throws TfmnistException {
    try {
      if (Files.isRegularFile(model.resolve(PB))) {
        return SavedModel.parseFrom(Files.readAllBytes(model.resolve(PB)));
      }
      SavedModel.Builder b = SavedModel.newBuilder();
      TextFormat.merge(Files.readString(model.resolve(PBTXT), StandardCharsets.UTF_8), b);
      return b.build();
    } catch (InvalidProtocolBufferException | TextFormat.ParseException e) {
      return null;
    } catch (IOException e) {
      throw new TfmnistException(model + ": cannot read the SavedModel: " + e.getMessage(), e);
    }
  }

  /** The graph with each narrow placeholder fed through a wider one; fills {@code feeds}. */
  private static GraphDef rewrite(MetaGraphDef meta, Map<String, String> feeds) {
    GraphDef.Builder graph = meta.getGraphDef().toBuilder();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      index.put(graph.getNode(i).getName(), i);
    }
    Set<String> done = new HashSet<>();
    for (SignatureDef sig : meta.getSignatureDefMap().values()) {
      for (TensorInfo info : sig.getInputsMap().values()) {
        String op = placeholder(info, graph, index);
        if (op == null) {
          continue;
        }
        feeds.put(info.getName(), op + SUFFIX + ":0");
        if (done.add(op)) {
          widen(graph, index.get(op), info.getDtype());
        }
      }
    }
    return graph.build();
  }

  /** The placeholder a narrow input names as {@code op:0} or {@code op}; null for anything else. */
  private static String placeholder(
      TensorInfo info, GraphDef.Builder graph, Map<String, Integer> index) {
    DType dtype = DType.of(info.getDtype());
    if (info.getEncodingCase() != TensorInfo.EncodingCase.NAME
        || dtype == null
        || NativeTensors.wider(dtype) == null) {
      return null;
    }
    String name = info.getName();
    String op = name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
    Integer at = index.get(op);
    if (at == null || op.contains(":") || index.containsKey(op + SUFFIX)) {
      return null;
    }
    NodeDef node = graph.getNode(at);
    AttrValue type = node.getAttrMap().get("dtype");
    return node.getOp().equals("Placeholder") && type != null && type.getType() == info.getDtype()
        ? op
        : null;
  }

  private static void widen(GraphDef.Builder graph, int at, org.tensorflow.proto.DataType narrow) {
    NodeDef.Builder node = graph.getNodeBuilder(at);
    String op = node.getName();
    DType wide = NativeTensors.wider(DType.of(narrow));
    node.setName(op + SUFFIX).putAttr("dtype", type(wide.proto()));
    graph.addNode(
        NodeDef.newBuilder()
            .setName(op)
            .setOp("Cast")
            .addInput(op + SUFFIX)
            .setDevice(node.getDevice())
            .putAttr("SrcT", type(wide.proto()))
            .putAttr("DstT", type(narrow))
            .putAttr("Truncate", AttrValue.newBuilder().setB(false).build()));
  }

  private static AttrValue type(org.tensorflow.proto.DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  /** A new directory under {@code scratch}: the rewritten proto, links to everything else. */
  private static Path write(Path model, SavedModel shadow, Path scratch) throws TfmnistException {
    Path dir = null;
    try {
      dir = Files.createTempDirectory(scratch, "tfmnist-wide-feed-");
      Files.write(dir.resolve(PB), shadow.toByteArray());
      List<Path> entries;
      try (var list = Files.list(model)) {
        entries = list.toList();
      }
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.equals(PB) && !name.equals(PBTXT)) {
          Files.createSymbolicLink(dir.resolve(name), entry.toAbsolutePath());
        }
      }
      return dir;
    } catch (IOException e) {
      delete(dir);
      throw new TfmnistException(
          model + ": cannot write the shadow that widens its narrow inputs: " + e.getMessage(), e);
    }
  }

  /** Deletes the shadow: its proto and its links (not what they point to), then the directory. */
  @Override
  public void close() {
    delete(dir);
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      List<Path> entries;
      try (var list = Files.list(dir)) {
        entries = list.toList();
      }
      for (Path entry : entries) {
        Files.deleteIfExists(entry); // a link is deleted, not followed
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // best effort: a temporary directory left behind is the worst outcome
    }
  }
}
