package org.tfmnist.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.proto.SignatureDef;
import org.tfmnist.TfmnistException;
import org.tfmnist.runtime.SessionOptions;
import org.tfmnist.serving.tensor.HostTensor;

/**
 * A {@link VersionLoader.ServableOpener} for lifecycle tests: each load announces itself, then
 * waits until the test lets it through, and opens a fake {@link Servable} (no TensorFlow) whose
 * closes are counted, so a test sees which loads run at once and that every copy is closed.
 */
final class GatedOpener implements VersionLoader.ServableOpener {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  static final Duration BOUND = Duration.ofSeconds(30);

  final BlockingQueue<Path> started = new LinkedBlockingQueue<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger mostInFlight = new AtomicInteger();
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();
  private final Semaphore gate;

  /** {@code open} passes: that many loads go through without waiting. */
  GatedOpener(int open) {
    this.gate = new Semaphore(open);
  }

  /** The options of a server with {@code loadThreads} and the labels flag; no warm-up, no retry. */
  static LoadOptions options(int loadThreads, boolean labelsForUnavailable) {
    return new LoadOptions(
        SessionOptions.standard(),
        Set.of(LoadOptions.SERVE),
        false,
        0,
        Duration.ZERO,
        loadThreads,
        0,
        labelsForUnavailable,
        false);
  }

  /** Makes {@code base/N} a version directory for each N (the fake opener never reads it). */
  static Path versions(Path base, long... numbers) throws IOException {
    Files.createDirectories(base);
    for (long n : numbers) {
      Files.createDirectories(base.resolve(Long.toString(n)));
      Files.writeString(base.resolve(n + "/saved_model.pb"), "fake " + n);
    }
    return base;
  }

  /** Lets {@code n} more loads through. */
  void pass(int n) {
    gate.release(n);
  }

  /** The directory of the next load to start, waiting for it (a failure past the bound). */
  Path nextStarted() throws InterruptedException {
    Path p = started.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
    if (p == null) {
      throw new AssertionError("no load started within " + BOUND);
    }
    return p;
  }

  @Override
  public Servable open(Path dir) throws TfmnistException {
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      started.add(dir);
      if (!gate.tryAcquire(BOUND.toSeconds(), TimeUnit.SECONDS)) {
        throw new TfmnistException(dir + ": the test never let this load through");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException(dir + ": interrupted", e);
    } finally {
      inFlight.decrementAndGet();
    }
    opened.incrementAndGet();
    return new Fake();
  }

  private final class Fake implements Servable {
    private boolean isClosed;

    @Override
    public Map<String, SignatureDef> signatures() {
      return Map.of();
    }

    @Override
    public Map<String, HostTensor> run(
        String key, Map<String, HostTensor> inputs, List<String> outputs) throws ApiException {
      throw new ApiException(400, "a fake model runs nothing");
    }

    @Override
    public synchronized void close() {
      if (!isClosed) {
        isClosed = true;
        closed.incrementAndGet();
      }
    }
  }
}
