package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.model.MnistShape;
import org.tfmnist.report.ImageGrid;
import org.tfmnist.report.PngFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Renders data set images with their labels in a grid, as a PNG. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Draws the images at the given indices (test set unless --train) in a grid, each"
            + " with its index and label, into a PNG.")
final class ShowCommand implements Callable<Integer> {
  @Parameters(paramLabel = "INDEX", arity = "1..*", description = "0-based image indices.")
  List<Integer> indices;

  @Option(
      names = "--train",
      description = "Take the images from the training set instead of the test set.")
  boolean train;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.png",
      description = "The PNG to write.")
  Path out;

  @Mixin DataOptions data = new DataOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    Dataset images = train ? data.loadAll(System.out).train() : data.loadTest(System.out);
    String set = train ? "training" : "test";
    ImageGrid grid = new ImageGrid(images, MnistShape.COLS, MnistShape.ROWS);
    for (int index : indices) {
      if (index < 0 || index >= images.size()) {
        throw new TfmnistException(
            "index "
                + index
                + ": out of range; the "
                + set
                + " set in "
                + data.directory()
                + " has "
                + images.size()
                + " images (0.."
                + (images.size() - 1)
                + ")");
      }
      grid.add(index, "#" + index, "label " + images.labels()[index]);
    }
    PngFile.write(grid.render(), out);
    System.out.println("wrote " + out + " (" + grid.size() + " " + set + " images)");
    return 0;
  }
}
