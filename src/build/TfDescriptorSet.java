import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build step (generate-sources): writes the descriptors TensorFlow Java compiled into its own
 * classes (org.tensorflow.proto.TensorProto, SignatureDef, Example, error codes and everything
 * they import) as one FileDescriptorSet. protoc reads it with --descriptor_set_in, so TF Serving's
 * .proto files import TF's messages exactly as TF Java built them (same files, same java_package
 * org.tensorflow.proto) and the generated serving classes use TF Java's classes: TF's messages are
 * never generated twice. Run by the pom: java -cp CLASSPATH src/build/TfDescriptorSet.java OUT.
 */
public final class TfDescriptorSet {
  public static void main(String[] args) throws IOException {
    List<FileDescriptor> roots =
        List.of(
            org.tensorflow.proto.TensorProtos.getDescriptor(),
            org.tensorflow.proto.MetaGraphProtos.getDescriptor(),
            org.tensorflow.proto.ExampleProtos.getDescriptor(),
            org.tensorflow.proto.ErrorCodes.getDescriptor());
    Map<String, FileDescriptor> closure = new LinkedHashMap<>();
    for (FileDescriptor root : roots) {
      add(root, closure);
    }
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    closure.values().forEach(f -> set.addFile(f.toProto()));
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (OutputStream o = Files.newOutputStream(out)) {
      set.build().writeTo(o);
    }
  }

  /** Dependencies first, as protoc expects them. */
  private static void add(FileDescriptor file, Map<String, FileDescriptor> closure) {
    if (closure.containsKey(file.getName())) {
      return;
    }
    for (FileDescriptor dep : file.getDependencies()) {
      add(dep, closure);
    }
    closure.put(file.getName(), file);
  }
}
