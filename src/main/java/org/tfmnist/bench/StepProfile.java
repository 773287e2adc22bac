package org.tfmnist.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tfmnist.TfmnistException;
import org.tfmnist.data.DataSplits;
import org.tfmnist.model.ModelBuilder;
import org.tfmnist.runtime.SessionOptions;

/**
 * Where a training step's time goes: TensorFlow's step stats ({@code RunOptions} {@code
 * FULL_TRACE}) of the bare training loop, each op's run time summed per op type (as the runtime
 * names it after its graph rewrites, e.g. {@code _MklNativeConv2D} for a convolution oneDNN took
 * over). Ops run side by side on the cores, so the total is more than a step's wall time; tracing
 * also slows the steps it traces. For shares, not speeds.
 */
public final class StepProfile {
  /** One op type's time per step and its share of all ops' time. */
  public record OpTime(String op, double millisPerStep, double share) {}

  private StepProfile() {}

  /**
   * Op time per type over {@code steps} traced steps after {@code warmup} untraced ones, largest
   * first.
   */
  public static List<OpTime> measure(
      ModelBuilder builder, DataSplits data, int batch, float keepProb, int steps, int warmup)
      throws TfmnistException {
    Map<String, Long> micros = new HashMap<>();
    try (BareLoop loop = BareLoop.open(builder, SessionOptions.standard(), data, batch, keepProb)) {
      loop.run(warmup); // oneDNN primitives created, buffers allocated
      RunOptions trace =
          RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
      for (int i = 0; i < steps; i++) {
        try (Result result = loop.step().setOptions(trace).runAndFetchMetadata()) {
          result
              .getMetadata()
              .ifPresent(
                  metadata -> {
                    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
                      for (NodeExecStats node : device.getNodeStatsList()) {
                        micros.merge(
                            opType(node),
                            node.getOpEndRelMicros() - node.getOpStartRelMicros(),
                            Long::sum);
                      }
                    }
                  });
        }
      }
    }
    long total = micros.values().stream().mapToLong(Long::longValue).sum();
    List<OpTime> times = new ArrayList<>();
    micros.forEach(
        (op, us) ->
            times.add(new OpTime(op, us / 1000.0 / steps, total == 0 ? 0 : (double) us / total)));
    times.sort((a, b) -> Double.compare(b.millisPerStep(), a.millisPerStep()));
    return times;
  }

  /** "h_pool1/MaxPool = _MklNativeMaxPool(h_conv1/Relu)" gives "_MklNativeMaxPool". */
  static String opType(NodeExecStats node) {
    String label = node.getTimelineLabel();
    int eq = label.indexOf(" = ");
    if (eq < 0) {
      return node.getNodeName();
    }
    String call = label.substring(eq + 3);
    int paren = call.indexOf('(');
    return paren < 0 ? call.trim() : call.substring(0, paren).trim();
  }

  /** Prints {@code times} as a Markdown table (op types under 0.1% of the time left out). */
  public static void print(List<OpTime> times, int batch, int steps, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "cnn, batch %d, %d traced steps: op time per op type (summed over the cores)%n",
        batch,
        steps);
    out.println("| op | ms/step | share |");
    out.println("| --- | ---: | ---: |");
    for (OpTime t : times) {
      if (t.share() >= 0.001) {
        out.printf(
            Locale.ROOT, "| %s | %.2f | %.1f%% |%n", t.op(), t.millisPerStep(), 100 * t.share());
      }
    }
  }
}
