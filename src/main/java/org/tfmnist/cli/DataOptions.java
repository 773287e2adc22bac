package org.tfmnist.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSource;
import org.tfmnist.data.DataSplits;
import org.tfmnist.data.Dataset;
import org.tfmnist.data.MnistFiles;
import org.tfmnist.data.MnistLoader;
import org.tfmnist.data.download.DownloadProgressBar;
import org.tfmnist.data.download.Downloader;
import org.tfmnist.model.MnistShape;
import picocli.CommandLine.Option;

/** Where the four IDX files are, and where to download them from when they are missing. */
final class DataOptions {
  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      defaultValue = "mnist",
      description = "mnist or fashion-mnist: picks the default --data-dir and the download source.")
  String dataset;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Directory with the four standard IDX files (default: data/<dataset>)."
              + " Missing files are downloaded into it; offline, copy them in or point here.")
  Path dataDir;

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      description =
          "Base URL to download the IDX files from (default: the data set's standard mirror).")
  URI mirror;

  /** The options a recorded run used: its data set's name and directory. */
  static DataOptions of(String dataset, Path dataDir) {
    DataOptions options = new DataOptions();
    options.dataset = dataset;
    options.dataDir = dataDir;
    return options;
  }

  DataSource source() throws TfmnistException {
    return DataSource.fromCliName(dataset);
  }

  Path directory() throws TfmnistException {
    return dataDir != null ? dataDir : source().defaultDir();
  }

  /** Downloads what is missing (checking SHA-256) and loads training and test sets. */
  DataSplits loadAll(PrintStream out) throws TfmnistException {
    fetchMissing(out, MnistFiles.ALL);
    DataSplits splits = MnistLoader.load(directory());
    requireMnistShape(splits.train());
    return splits;
  }

  /** Downloads what is missing of the test files and loads the test set. */
  Dataset loadTest(PrintStream out) throws TfmnistException {
    fetchMissing(out, MnistFiles.TEST);
    Dataset test = MnistLoader.loadTest(directory());
    requireMnistShape(test);
    return test;
  }

  /**
   * The tutorials' models take 28x28 images; another size is the data's fault, said in one line.
   */
  private void requireMnistShape(Dataset data) throws TfmnistException {
    if (data.features() != MnistShape.PIXELS) {
      throw new TfmnistException(
          directory()
              + ": images have "
              + data.features()
              + " pixels; the tutorials' models take 28x28 = "
              + MnistShape.PIXELS);
    }
  }

  private void fetchMissing(PrintStream out, List<String> needed) throws TfmnistException {
    Path dir = directory();
    List<String> missing = MnistFiles.missing(dir, needed);
    if (!missing.isEmpty()) {
      DataSource source = source();
      try {
        Downloader downloader =
            Terminal.interactive() && out == System.out
                ? new Downloader(new DownloadProgressBar(out))
                : new Downloader(out);
        downloader.ensure(dir, source, mirror != null ? mirror : source.mirror(), needed);
      } catch (TfmnistException e) {
        throw new TfmnistException(
            dir
                + ": missing "
                + String.join(", ", MnistFiles.missing(dir, needed))
                + "; "
                + e.getMessage(),
            e);
      }
    }
  }
}
