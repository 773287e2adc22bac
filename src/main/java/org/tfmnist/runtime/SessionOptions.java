package org.tfmnist.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * How every session of the project is configured (training runs, the benchmark, the predictor):
 * TensorFlow's intra-op pool (threads one op, e.g. a convolution, splits its work over), its
 * inter-op pool (ops run side by side), and XLA's JIT compilation of the graph on the CPU. The
 * {@link #standard} choice is what {@code benchmark --sessions} measured best; see the README.
 *
 * @param intraOpThreads threads per op (0: TensorFlow's choice, one per core)
 * @param interOpThreads ops run at once (0: TensorFlow's choice, one per core)
 * @param xla compile the graph with XLA ({@code global_jit_level ON_1} and {@code cpu_global_jit})
 */
public record SessionOptions(
    int intraOpThreads, int interOpThreads, boolean xla, boolean bfloat16) {
  /** Float32 throughout: what every session uses unless a preset asks for bfloat16. */
  public SessionOptions(int intraOpThreads, int interOpThreads, boolean xla) {
    this(intraOpThreads, interOpThreads, xla, false);
  }

  public SessionOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0: TensorFlow's choice)");
    }
  }

  /** The cores this JVM may use. */
  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** What every session uses: one intra-op thread per core, TensorFlow's inter-op pool, no XLA. */
  public static SessionOptions standard() {
    return new SessionOptions(cores(), 0, false);
  }

  /** TensorFlow's own defaults ({@code new Session(graph)}), for comparison. */
  public static SessionOptions tensorflowDefaults() {
    return new SessionOptions(0, 0, false);
  }

  /** The same options with XLA on or off. */
  public SessionOptions withXla(boolean on) {
    return new SessionOptions(intraOpThreads, interOpThreads, on, bfloat16);
  }

  /** The same options with grappler's oneDNN bfloat16 mixed precision on or off. */
  public SessionOptions withBfloat16(boolean on) {
    return new SessionOptions(intraOpThreads, interOpThreads, xla, on);
  }

  /** The session configuration these options describe. */
  public ConfigProto toConfig() {
    OptimizerOptions.Builder optimizer = OptimizerOptions.newBuilder();
    if (xla) {
      optimizer.setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1).setCpuGlobalJit(true);
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setGraphOptions(
            GraphOptions.newBuilder()
                .setOptimizerOptions(optimizer)
                .setRewriteOptions(
                    RewriterConfig.newBuilder()
                        .setAutoMixedPrecisionOnednnBfloat16(
                            bfloat16 ? RewriterConfig.Toggle.ON : RewriterConfig.Toggle.DEFAULT)))
        .build();
  }

  /** A new session on {@code graph} with these options; the caller closes it. */
  public Session open(Graph graph) {
    return new Session(graph, toConfig());
  }

  /** A short description, e.g. {@code intra 2, inter 0, xla off}. */
  public String describe() {
    return "intra "
        + intraOpThreads
        + ", inter "
        + interOpThreads
        + ", xla "
        + (xla ? "on" : "off")
        + (bfloat16 ? ", bfloat16" : "");
  }
}
