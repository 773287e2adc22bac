package org.tfmnist.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tfmnist.TfmnistException;
import org.tfmnist.serving.Predictor;
import org.tfmnist.serving.RestServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves a SavedModel over TensorFlow Serving's REST API until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves a SavedModel over TensorFlow Serving's REST API (version 1):",
      "  GET  /v1/models/NAME            model status",
      "  GET  /v1/models/NAME/metadata   signatures",
      "  POST /v1/models/NAME:predict    {\"instances\": [[784 floats], ...]} or {\"inputs\": ...}",
      "Stops cleanly on Ctrl-C."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "SavedModel directory (e.g. <run-dir>/saved_model).")
  Path model;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "mnist", description = "Model name in the URLs (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8501", description = "Port (default: ${DEFAULT-VALUE}, TF Serving's REST port; 0 picks a free one).")
  int port;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the model to the network).")
  String host;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Request threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Mixin DebugOption debug = new DebugOption();

  @Override
  public Integer call() throws TfmnistException {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new TfmnistException("--name: use letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (threads < 1) {
      throw new TfmnistException("--threads must be >= 1, got " + threads);
    }
    PrintStream out = System.out;
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (Predictor predictor = Predictor.load(model);
        RestServer server = new RestServer(predictor, name, threads, System.err)) {
      int bound;
      try {
        bound = server.start(host, port);
      } catch (IOException | RuntimeException e) {
        throw new TfmnistException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      }
      String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound + "/v1/models/" + name;
      out.println("serving " + model + " as model '" + name + "' version 1");
      out.println("status:   curl " + url);
      out.println("metadata: curl " + url + "/metadata");
      out.println("predict:  curl -d '{\"instances\": [[784 floats 0..1]]}' " + url + ":predict");
      out.println("Ctrl-C stops");
      Thread hook = new Thread(() -> {
        stopRequested.countDown();
        try {
          closed.await(15, TimeUnit.SECONDS); // let the main thread close the server and the model
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        stopRequested.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.stop();
      out.println("stopped");
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
