package org.tfmnist.export;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.proto.GraphDef;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.model.ModelBuilder;

/**
 * Writes a model's training graph as {@code <name>.pb} (binary GraphDef) and {@code <name>.pbtxt}
 * (protobuf text format), each written to a temporary file, fsynced and renamed into place ({@link
 * DurableFiles#write}).
 */
public final class GraphExport {
  private GraphExport() {}

  /** Builds {@code builder}'s graph and writes both files into {@code dir}; returns their paths. */
  public static List<Path> write(ModelBuilder builder, Path dir) throws TfmnistException {
    GraphDef def;
    try (Graph graph = new Graph()) {
      builder.build(graph);
      def = graph.toGraphDef();
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new TfmnistException(dir + ": cannot create directory: " + e.getMessage(), e);
    }
    List<Path> written = new ArrayList<>();
    written.add(atomicWrite(dir.resolve(builder.name() + ".pb"), def.toByteArray()));
    written.add(
        atomicWrite(
            dir.resolve(builder.name() + ".pbtxt"),
            TextFormat.printer().printToString(def).getBytes(StandardCharsets.UTF_8)));
    return written;
  }

  static Path atomicWrite(Path target, byte[] bytes) throws TfmnistException {
    try {
      DurableFiles.write(target, bytes);
      return target;
    } catch (IOException e) {
      throw new TfmnistException(target + ": cannot write: " + e.getMessage(), e);
    }
  }
}
