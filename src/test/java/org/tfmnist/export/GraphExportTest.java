package org.tfmnist.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tfmnist.cli.CliRun;

/** {@code graphs} writes GraphDefs that parse back and read like the tutorials. */
@Tag("unit")
class GraphExportTest {
  @Test
  void graphsParseBackWithTheTutorialsOpNames(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("graphs");
    CliRun run = CliRun.of("graphs", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.err());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(
          List.of("cnn.pb", "cnn.pbtxt", "softmax.pb", "softmax.pbtxt"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary files left");
    }
    assertEquals(
        "rw-r--r--",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(out.resolve("cnn.pb"))));
    assertOps(out, "softmax", "x", "y_", "W", "b");
    assertOps(out, "cnn", "x", "y_", "keep_prob", "W_conv1", "h_pool2", "h_fc1_drop");
  }

  private static void assertOps(Path dir, String name, String... ops) throws Exception {
    GraphDef binary = GraphDef.parseFrom(Files.readAllBytes(dir.resolve(name + ".pb")));
    GraphDef.Builder text = GraphDef.newBuilder();
    TextFormat.getParser().merge(Files.readString(dir.resolve(name + ".pbtxt")), text);
    assertEquals(binary, text.build(), name + ": text and binary hold the same graph");
    Set<String> names =
        binary.getNodeList().stream().map(NodeDef::getName).collect(Collectors.toSet());
    for (String op : ops) {
      assertTrue(names.contains(op), name + " has no op " + op);
    }
  }
}
