package org.tfmnist.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.tfmnist.run.ExampleTracer;

/** Prints an {@link ExampleTracer.Trace} as the digits write-up lays out its hand trace. */
final class TracePrinter {
  private TracePrinter() {}

  /** The table of per-class quantities, then the softmax sum, the loss and the graph's loss. */
  static void print(ExampleTracer.Trace t, String heading, PrintStream out) {
    out.println(heading);
    out.printf(
        Locale.ROOT,
        "%5s %10s %10s %12s %7s %14s%n",
        "class",
        "logit",
        "softmax",
        "log_softmax",
        "one_hot",
        "-y*log_softmax");
    float softmaxSum = 0;
    for (int c = 0; c < t.logits().length; c++) {
      out.printf(
          Locale.ROOT,
          "%5d %10.5f %10.6f %12.6f %7.0f %14.6f%n",
          c,
          t.logits()[c],
          t.softmax()[c],
          t.logSoftmax()[c],
          t.oneHot()[c],
          t.terms()[c]);
      softmaxSum += t.softmax()[c];
    }
    out.printf(Locale.ROOT, "sum of softmax: %.6f%n", softmaxSum);
    out.printf(
        Locale.ROOT, "loss = sum of the terms = -log_softmax[%d] = %.6f%n", t.label(), t.termSum());
    out.printf(
        Locale.ROOT,
        "the graph's cross_entropy (softmax_cross_entropy_with_logits): %.6f%n",
        t.loss());
  }
}
