package org.tfmnist.cli;

import java.io.PrintWriter;
import org.tfmnist.runtime.Precision;
import org.tfmnist.runtime.SessionOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a served model's TensorFlow session runs: TF Serving's {@code
 * --tensorflow_intra_op_parallelism} and {@code --tensorflow_inter_op_parallelism}, and the
 * arithmetic ({@code --precision}, which TF Serving sets through a session config instead).
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
    if (intraOp < 0 || interOp < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--tensorflow_intra_op_parallelism and --tensorflow_inter_op_parallelism must be >= 0");
    }
    Precision p = NamedOption.parse(spec, "--precision", precision, Precision::parse);
    p.emulationWarning("serve").ifPresent(err::println);
    int intra = intraOp == 0 ? SessionOptions.standard().intraOpThreads() : intraOp;
    return new SessionOptions(intra, interOp, false, p == Precision.BFLOAT16);
  }
}
