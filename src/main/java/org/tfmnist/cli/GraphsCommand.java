package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.GraphExport;
import org.tfmnist.model.DeepMnistCnn;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.model.SoftmaxRegression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes each tutorial's training graph (GraphDef) as binary and text protobuf. */
@Command(
    name = "graphs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Writes <out>/softmax.pb|.pbtxt and <out>/cnn.pb|.pbtxt: the tutorials' training graphs (defaults, seed 42).")
final class GraphsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "graphs",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    for (ModelBuilder builder : List.of(new SoftmaxRegression(0.5f), new DeepMnistCnn(1e-4f, 42))) {
      for (Path file : GraphExport.write(builder, out)) {
        Console.out(spec).println("wrote " + file);
      }
    }
    return 0;
  }
}
