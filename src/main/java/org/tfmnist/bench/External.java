package org.tfmnist.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tfmnist.DurableFiles;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.ServingMetrics;
import tensorflow.serving.Predict.PredictRequest;

/**
 * The rows {@code benchmark --serve --external} adds with batching on: 32 and 64 clients of {@code
 * wrk} (REST) and {@code h2load} (gRPC) against the running server, each beside the server's count
 * of OK predicts over the same run. A tool that is not installed is named, not skipped silently.
 */
final class External {
  static final int[] CLIENTS = {32, 64};

  private External() {}

  static void run(
      int restPort,
      int grpcPort,
      byte[] body,
      PredictRequest request,
      double seconds,
      ServingMetrics metrics,
      PrintStream out)
      throws TfmnistException {
    out.println("external load generators, batching on, one image per request:");
    byte[] grpcBody = request.toByteArray();
    Path work = null;
    try {
      work = Files.createTempDirectory("tfmnist-load-");
      for (int clients : CLIENTS) {
        if (ExternalLoad.installed("wrk")) {
          long before = metrics.answeredOk("predict");
          ExternalLoad.Result r =
              ExternalLoad.wrk(restPort, "/v1/models/mnist:predict", body, clients, seconds, work);
          out.println(
              ExternalLoad.describe(r, "rest", clients, metrics.answeredOk("predict") - before));
        }
        if (ExternalLoad.installed("h2load")) {
          long before = metrics.answeredOk("predict");
          ExternalLoad.Result r = ExternalLoad.h2load(grpcPort, grpcBody, clients, seconds, work);
          out.println(
              ExternalLoad.describe(r, "grpc", clients, metrics.answeredOk("predict") - before));
        }
      }
      for (String tool : new String[] {"wrk", "h2load"}) {
        if (!ExternalLoad.installed(tool)) {
          out.println(
              tool
                  + " is not installed (apt-get install "
                  + packageOf(tool)
                  + "): no rows from it");
        }
      }
    } catch (IOException e) {
      throw new TfmnistException("external load generator: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TfmnistException("interrupted", e);
    } finally {
      if (work != null) {
        DurableFiles.deleteTreeQuietly(work);
      }
    }
  }

  private static String packageOf(String tool) {
    return tool.equals("wrk") ? "wrk" : "nghttp2-client";
  }
}
