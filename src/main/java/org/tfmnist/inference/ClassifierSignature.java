package org.tfmnist.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tfmnist.TfmnistException;
import org.tfmnist.export.ServingSignature;
import org.tfmnist.export.SignatureSpec;
import org.tfmnist.export.TensorSpec;
import org.tfmnist.model.MnistShape;

/**
 * The signature, image input and class-score output that make a SavedModel an MNIST classifier for
 * {@code evaluate} and {@code predict}: one float input of shape [-1,784], [-1,28,28] or
 * [-1,28,28,1] and a float [-1,10] output. The output is the one named by {@code --output}, else
 * the only float [-1,10] output, else among several the only one whose name says probabilities
 * ({@code prob}, {@code softmax}, {@code score}), else the only one whose name says {@code logit}.
 * {@link #logitsByName} is true when the output's name contains {@code logit}.
 */
public record ClassifierSignature(String key, TensorSpec input, TensorSpec output) {
  private static final List<List<Long>> IMAGE_SHAPES =
      List.of(
          List.of(-1L, (long) MnistShape.PIXELS),
          List.of(-1L, (long) MnistShape.ROWS, (long) MnistShape.COLS),
          List.of(-1L, (long) MnistShape.ROWS, (long) MnistShape.COLS, 1L));
  private static final List<Long> SCORES_SHAPE = List.of(-1L, (long) MnistShape.CLASSES);

  /**
   * Picks the classifier in {@code signatures} of the model in {@code dir}: signature {@code
   * signature} ({@code serving_default} when null), output {@code output} (chosen as the class
   * comment says when null). A one-line error names the flag to set when there is no choice or
   * several.
   */
  public static ClassifierSignature resolve(
      Path dir, List<SignatureSpec> signatures, String signature, String output)
      throws TfmnistException {
    String key = signature == null ? ServingSignature.DEFAULT_KEY : signature;
    SignatureSpec sig =
        signatures.stream()
            .filter(s -> s.key().equals(key))
            .findFirst()
            .orElseThrow(
                () ->
                    new TfmnistException(
                        String.format(
                            "%s: SavedModel has no signature '%s' (it has: %s); choose one with"
                                + " --signature",
                            dir,
                            key,
                            signatures.stream()
                                .map(SignatureSpec::key)
                                .collect(Collectors.joining(", ")))));
    return new ClassifierSignature(key, imageInput(dir, sig), scores(dir, sig, output));
  }

  private static TensorSpec imageInput(Path dir, SignatureSpec sig) throws TfmnistException {
    if (sig.inputs().size() != 1) {
      throw new TfmnistException(
          String.format(
              "%s: signature '%s' has %d inputs (%s); a classifier of MNIST images takes one",
              dir, sig.key(), sig.inputs().size(), describe(sig.inputs())));
    }
    TensorSpec in = sig.inputs().get(0);
    if (!in.dtype().equals("DT_FLOAT") || !IMAGE_SHAPES.contains(in.dims())) {
      throw new TfmnistException(
          String.format(
              "%s: signature '%s' input %s; expected DT_FLOAT [-1, 784], [-1, 28, 28] or"
                  + " [-1, 28, 28, 1]",
              dir, sig.key(), describe(List.of(in))));
    }
    return in;
  }

  private static TensorSpec scores(Path dir, SignatureSpec sig, String output)
      throws TfmnistException {
    if (output != null) {
      TensorSpec chosen = sig.output(output);
      if (chosen == null) {
        throw new TfmnistException(
            String.format(
                "%s: signature '%s' has no output '%s' (--output; it has: %s)",
                dir, sig.key(), output, describe(sig.outputs())));
      }
      if (!isScores(chosen)) {
        throw new TfmnistException(
            String.format(
                "%s: --output %s is %s; expected DT_FLOAT [-1, 10]",
                dir, output, describe(List.of(chosen))));
      }
      return chosen;
    }
    List<TensorSpec> candidates = sig.outputs().stream().filter(t -> isScores(t)).toList();
    if (candidates.isEmpty()) {
      throw new TfmnistException(
          String.format(
              "%s: signature '%s' has no DT_FLOAT [-1, 10] output (it has: %s)",
              dir, sig.key(), describe(sig.outputs())));
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    List<TensorSpec> named = withName(candidates, "prob", "softmax", "score");
    if (named.size() != 1) {
      named = withName(candidates, "logit");
    }
    if (named.size() != 1) {
      throw new TfmnistException(
          String.format(
              "%s: signature '%s' has several DT_FLOAT [-1, 10] outputs (%s); choose one with"
                  + " --output",
              dir, sig.key(), describe(candidates)));
    }
    return named.get(0);
  }

  private static boolean isScores(TensorSpec t) {
    return t.dtype().equals("DT_FLOAT") && SCORES_SHAPE.equals(t.dims());
  }

  private static List<TensorSpec> withName(List<TensorSpec> tensors, String... words) {
    return tensors.stream()
        .filter(t -> List.of(words).stream().anyMatch(w -> lower(t.key()).contains(w)))
        .toList();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static String describe(List<TensorSpec> tensors) {
    return tensors.stream()
        .map(t -> t.key() + " " + t.dtype() + " " + (t.dims() == null ? "[?]" : t.dims()))
        .collect(Collectors.joining(", "));
  }

  /** Whether the output's name says it holds logits (a softmax turns them into probabilities). */
  public boolean logitsByName() {
    return lower(output.key()).contains("logit");
  }

  /** The shape to feed {@code n} images: the input's shape with {@code n} for its first -1. */
  long[] feedShape(int n) {
    long[] dims = input.dims().stream().mapToLong(Long::longValue).toArray();
    dims[0] = n;
    return dims;
  }

  /** One line for the user: {@code serving_default: images [-1, 784] -> probabilities}. */
  public String summary() {
    return String.format(
        "%s: %s %s -> %s %s", key, input.key(), input.dims(), output.key(), output.dims());
  }
}
