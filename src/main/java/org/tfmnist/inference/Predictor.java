package org.tfmnist.inference;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.export.SignatureSpec;
import org.tfmnist.export.TensorSpec;
import org.tfmnist.model.MnistShape;
import org.tfmnist.runtime.SessionOptions;

/**
 * Predictions from a restored SavedModel with the {@link ServingSignature} contract. Loads the
 * {@code serve} meta graph, checks the {@code serving_default} signature, and runs batches of
 * images in chunks of {@link #CHUNK}. Thread-safe: concurrent calls share the bundle's session.
 */
public final class Predictor implements AutoCloseable {
  public static final int CHUNK = 1000;

  private final Path dir;
  private final SavedModelBundle bundle;

  /** Predictions hold the read lock; {@link #close} takes the write lock, so it waits for them. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private boolean closed;
  private final List<SignatureSpec> signatures;
  private final Map<String, SignatureDef> signatureDefs;

  private Predictor(Path dir, SavedModelBundle bundle, List<SignatureSpec> signatures) {
    this.dir = dir;
    this.bundle = bundle;
    this.signatures = signatures;
    Map<String, SignatureDef> defs = new TreeMap<>(bundle.metaGraphDef().getSignatureDefMap());
    defs.keySet().removeIf(k -> k.startsWith("__")); // as signatures(): not TF's init marker
    this.signatureDefs = Collections.unmodifiableMap(defs);
  }

  /**
   * Loads the SavedModel in {@code dir}; a one-line error names the directory when it is not one.
   */
  public static Predictor load(Path dir) throws TfmnistException {
    return load(dir, SessionOptions.standard());
  }

  /** As {@link #load(Path)}, its session configured by {@code options} (threads, precision). */
  public static Predictor load(Path dir, SessionOptions options) throws TfmnistException {
    SavedModelBundle bundle = SavedModels.open(dir, options);
    try {
      List<SignatureSpec> signatures = SignatureSpec.readAll(bundle.metaGraphDef());
      check(
          dir,
          signatures,
          ServingSignature.DEFAULT_KEY,
          ServingSignature.INPUT_IMAGES,
          "DT_FLOAT",
          MnistShape.PIXELS);
      return new Predictor(dir, bundle, signatures);
    } catch (TfmnistException | RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static void check(
      Path dir,
      List<SignatureSpec> signatures,
      String key,
      String input,
      String dtype,
      long lastDim)
      throws TfmnistException {
    SignatureSpec sig =
        signatures.stream()
            .filter(s -> s.key().equals(key))
            .findFirst()
            .orElseThrow(
                () -> new TfmnistException(dir + ": SavedModel has no signature '" + key + "'"));
    requireTensor(dir, key, sig.input(input), input, dtype, lastDim);
    requireTensor(
        dir,
        key,
        sig.output(ServingSignature.OUTPUT_PROBABILITIES),
        ServingSignature.OUTPUT_PROBABILITIES,
        "DT_FLOAT",
        MnistShape.CLASSES);
    requireTensor(
        dir,
        key,
        sig.output(ServingSignature.OUTPUT_CLASSES),
        ServingSignature.OUTPUT_CLASSES,
        "DT_INT64",
        -1);
  }

  private static void requireTensor(
      Path dir, String key, TensorSpec spec, String name, String dtype, long lastDim)
      throws TfmnistException {
    if (spec == null) {
      throw new TfmnistException(dir + ": signature '" + key + "' has no tensor '" + name + "'");
    }
    if (!spec.dtype().equals(dtype)) {
      throw new TfmnistException(
          String.format(
              "%s: signature '%s' tensor '%s' is %s, expected %s",
              dir, key, name, spec.dtype(), dtype));
    }
    if (lastDim > 0
        && (spec.dims() == null
            || spec.dims().isEmpty()
            || spec.dims().get(spec.dims().size() - 1) != lastDim)) {
      throw new TfmnistException(
          dir
              + ": signature '"
              + key
              + "' tensor '"
              + name
              + "' has shape "
              + spec.dims()
              + ", expected [-1, "
              + lastDim
              + "]");
    }
  }

  /** The model's directory. */
  public Path dir() {
    return dir;
  }

  /** The signatures the MetaGraphDef declares, sorted by key. */
  public List<SignatureSpec> signatures() {
    return signatures;
  }

  /** The same signatures as TF's SignatureDef messages, by key (for TF Serving's metadata). */
  public Map<String, SignatureDef> signatureDefs() {
    return signatureDefs;
  }

  /** Whether the model has a signature called {@code key}. */
  public boolean hasSignature(String key) {
    return signatures.stream().anyMatch(s -> s.key().equals(key));
  }

  /**
   * Classifies {@code count} images of 784 floats (0..1, white digit on black) laid out row after
   * row in {@code images}, through {@code serving_default}.
   */
  public Prediction[] predict(float[] images, int count) {
    return predict(images, count, () -> false);
  }

  /**
   * As {@link #predict(float[], int)}, but stops before the next chunk of {@link #CHUNK} images
   * once {@code stop} says so (a request past its deadline), with a {@link CancellationException}.
   */
  public Prediction[] predict(float[] images, int count, BooleanSupplier stop) {
    requireLength(images.length, count);
    FloatDataBuffer all = DataBuffers.of(images, true, false);
    return inChunks(
        count,
        stop,
        (start, n, out) -> {
          FloatDataBuffer rows =
              all.slice((long) start * MnistShape.PIXELS, (long) n * MnistShape.PIXELS);
          try (TFloat32 input = TFloat32.tensorOf(Shape.of(n, MnistShape.PIXELS), rows)) {
            run(ServingSignature.DEFAULT_KEY, ServingSignature.INPUT_IMAGES, input, out, start, n);
          }
        });
  }

  /** Classifies {@code count} raw 28x28 uint8 images (0..255, white on black): predict_pixels. */
  public Prediction[] predictPixels(byte[] pixels, int count) {
    return predictPixels(pixels, count, () -> false);
  }

  /** As {@link #predictPixels(byte[], int)}, stopping between chunks once {@code stop} says so. */
  public Prediction[] predictPixels(byte[] pixels, int count, BooleanSupplier stop) {
    requireLength(pixels.length, count);
    ByteDataBuffer all = DataBuffers.of(pixels, true, false);
    return inChunks(
        count,
        stop,
        (start, n, out) -> {
          ByteDataBuffer rows =
              all.slice((long) start * MnistShape.PIXELS, (long) n * MnistShape.PIXELS);
          try (TUint8 input =
              TUint8.tensorOf(Shape.of(n, MnistShape.ROWS, MnistShape.COLS), rows)) {
            run(ServingSignature.PIXELS_KEY, ServingSignature.INPUT_PIXELS, input, out, start, n);
          }
        });
  }

  /** One chunk of {@code n} images from image {@code start}, its answers put into {@code out}. */
  private interface Chunk {
    void run(int start, int n, Prediction[] out);
  }

  /** Runs {@code chunk} per {@link #CHUNK} of {@code count} images, asking {@code stop} first. */
  private static Prediction[] inChunks(int count, BooleanSupplier stop, Chunk chunk) {
    Prediction[] out = new Prediction[count];
    for (int start = 0; start < count; start += CHUNK) {
      stopIf(stop);
      chunk.run(start, Math.min(CHUNK, count - start), out);
    }
    return out;
  }

  private static void stopIf(BooleanSupplier stop) {
    if (stop.getAsBoolean()) {
      throw new CancellationException("prediction stopped before its end");
    }
  }

  private static void requireLength(int length, int count) {
    if (count < 0 || length < (long) count * MnistShape.PIXELS) {
      throw new IllegalArgumentException(
          count + " images need " + (long) count * MnistShape.PIXELS + " values, got " + length);
    }
  }

  private void run(String key, String inputName, Tensor input, Prediction[] out, int start, int n) {
    lock.readLock().lock();
    try (Result result = call(key, inputName, input)) {
      TFloat32 probabilities =
          (TFloat32) result.get(ServingSignature.OUTPUT_PROBABILITIES).orElseThrow();
      TInt64 classes = (TInt64) result.get(ServingSignature.OUTPUT_CLASSES).orElseThrow();
      for (int i = 0; i < n; i++) {
        float[] p = new float[MnistShape.CLASSES];
        for (int c = 0; c < p.length; c++) {
          p[c] = probabilities.getFloat(i, c);
        }
        out[start + i] = new Prediction((int) classes.getLong(i), p);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private Result call(String key, String inputName, Tensor input) {
    if (closed) {
      throw new IllegalStateException("predictor for " + dir + " is closed");
    }
    return bundle.function(key).call(Map.of(inputName, input));
  }

  /**
   * Closes the model once no prediction is running (a server's in-flight requests finish first).
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
