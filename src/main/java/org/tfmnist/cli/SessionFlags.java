package org.tfmnist.cli;

import java.io.PrintWriter;
import org.tfmnist.runtime.Precision;
import org.tfmnist.runtime.SessionOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a served model's TensorFlow session runs: TF Serving's {@code
 * --tensorflow_intra_op_parallelism}, {@code --tensorflow_inter_op_parallelism} and {@code
 * --tensorflow_session_parallelism} (both, when they are not given), and the arithmetic ({@code
 * --precision}, or TF Serving's {@code --mixed_precision=bfloat16}).
 */
final class SessionFlags {
  @Option(
      names = "--tensorflow_intra_op_parallelism",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Threads one op (a convolution) splits its work over; 0: one per core (default).")
  int intraOp;

  @Option(
      names = "--tensorflow_inter_op_parallelism",
      paramLabel = "N",
      defaultValue = "0",
      description = "Ops of one session run side by side; 0: TensorFlow's choice (default).")
  int interOp;

  @Option(
      names = "--tensorflow_session_parallelism",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "TF Serving's: both thread counts above when they are not given; 0: automatic (default).")
  int sessionParallelism;

  @Option(
      names = "--mixed_precision",
      paramLabel = "MODE",
      defaultValue = "",
      description = "TF Serving's: 'bfloat16' is --precision bfloat16; empty (default): float32.")
  String mixedPrecision;

  @Option(
      names = "--precision",
      paramLabel = "P",
      defaultValue = "float32",
      description =
          "float32 (default) or bfloat16: convolutions and matrix products in bfloat16"
              + " (grappler's oneDNN mixed precision), fast on CPUs with AVX512-BF16 or AMX;"
              + " probabilities differ from float32's in the third digit, rarely the class.")
  String precision;

  /** The session options these flags name; a usage error (exit 2) names a bad flag. */
  SessionOptions options(CommandSpec spec, PrintWriter err) {
    if (intraOp < 0 || interOp < 0 || sessionParallelism < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--tensorflow_intra_op_parallelism, --tensorflow_inter_op_parallelism and"
              + " --tensorflow_session_parallelism must be >= 0");
    }
    if (!mixedPrecision.isEmpty() && !mixedPrecision.equals("bfloat16")) {
      throw new ParameterException(
          spec.commandLine(),
          "--mixed_precision: 'bfloat16' or empty, got '" + mixedPrecision + "'");
    }
    String named = mixedPrecision.isEmpty() ? precision : mixedPrecision;
    Precision p = NamedOption.parse(spec, "--precision", named, Precision::parse);
    int intraWanted = intraOp == 0 ? sessionParallelism : intraOp;
    int interWanted = interOp == 0 ? sessionParallelism : interOp;
    p.emulationWarning("serve").ifPresent(err::println);
    int intra = intraWanted == 0 ? SessionOptions.standard().intraOpThreads() : intraWanted;
    return new SessionOptions(intra, interWanted, false, p == Precision.BFLOAT16);
  }
}
