package org.tfmnist.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.DigitsLoader;
import org.tfmnist.model.MnistShape;
import org.tfmnist.report.ImageGrid;
import org.tfmnist.report.PngFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Renders data set images with their labels in a grid, as a PNG: MNIST-format images (28x28) or
 * scikit-learn's 8x8 digits ({@code --dataset digits}), each optionally beside its inverse.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Draws the images at the given indices (test set unless --train; with --dataset digits,"
            + " the 8x8 digits data set in its CSV order) in a grid, each with its index and label,"
            + " into a PNG.")
final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

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

  @Option(
      names = "--inverse",
      description = "Draw each image's inverse (1 - x) beside it, as the digits write-up does.")
  boolean inverse;

  @Option(
      names = "--data-file",
      paramLabel = "FILE",
      description = "With --dataset digits: a digits CSV (default: the digits bundled in the jar).")
  Path dataFile;

  @Mixin DataOptions data = new DataOptions();

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    boolean digits = DigitsCommand.DATASET.equals(data.dataset);
    if (digits && train) {
      throw new TfmnistException(
          "--train: the digits data set is shown whole; its indices are the CSV's rows");
    }
    Dataset images =
        digits
            ? DigitsLoader.load(dataFile == null ? DigitsLoader.BUNDLED : dataFile)
            : train ? data.loadAll(Console.out(spec)).train() : data.loadTest(Console.out(spec));
    String set = digits ? "digits" : train ? "training" : "test";
    for (int index : indices) {
      if (index < 0 || index >= images.size()) {
        throw new TfmnistException(
            "index "
                + index
                + ": out of range; the "
                + set
                + " set in "
                + (digits
                    ? DigitsLoader.describe(dataFile == null ? DigitsLoader.BUNDLED : dataFile)
                    : data.directory())
                + " has "
                + images.size()
                + " images (0.."
                + (images.size() - 1)
                + ")");
      }
    }
    ImageGrid grid = grid(images, digits ? 8 : MnistShape.COLS);
    PngFile.write(grid.render(), out);
    Console.out(spec).println("wrote " + out + " (" + grid.size() + " " + set + " images)");
    return 0;
  }

  /** The asked images, each followed by its inverse with {@code --inverse}. */
  private ImageGrid grid(Dataset images, int side) {
    int per = inverse ? 2 : 1;
    float[] pixels = new float[indices.size() * per * images.features()];
    int[] labels = new int[indices.size() * per];
    for (int i = 0; i < indices.size(); i++) {
      int at = i * per;
      images.copyImage(indices.get(i), pixels, at * images.features());
      labels[at] = images.labels()[indices.get(i)];
      if (inverse) {
        for (int p = 0; p < images.features(); p++) {
          pixels[(at + 1) * images.features() + p] = 1 - pixels[at * images.features() + p];
        }
        labels[at + 1] = labels[at];
      }
    }
    ImageGrid grid = new ImageGrid(new Dataset(pixels, labels, images.features()), side, side);
    for (int i = 0; i < labels.length; i++) {
      int index = indices.get(i / per);
      grid.add(i, i % per == 0 ? "#" + index : "1 - x", "label " + labels[i]);
    }
    return grid;
  }
}
