package org.tfmnist.cluster;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import sun.misc.Signal;

/**
 * A stand-in for a training task in {@link LocalClusterTest}: prints what its {@code TF_CONFIG}
 * says it is, then does what the rule for its name says. Arguments (the same for every task, as for
 * real ones) are rules {@code NAME=ACTION}, NAME a task ({@code worker:1}) or {@code *}: {@code
 * exit:N}, {@code sleep} (until killed), {@code ignore-term} (sleep, ignoring SIGTERM), {@code
 * done:DIR} (write DIR/chief-done, exit 0), {@code await:DIR} (exit 0 once DIR/chief-done exists,
 * as a ps task does when the chief reports the run finished).
 */
public final class FakeTask {
  private FakeTask() {}

  public static void main(String[] args) throws Exception {
    JsonObject config = JsonParser.parseString(System.getenv("TF_CONFIG")).getAsJsonObject();
    JsonObject task = config.getAsJsonObject("task");
    String type = task.get("type").getAsString();
    int index = task.get("index").getAsInt();
    String name = type + ":" + index;
    String address =
        config.getAsJsonObject("cluster").getAsJsonArray(type).get(index).getAsString();
    System.out.println("task " + type + " " + index + " " + address);
    System.err.println("stderr of " + name);
    String action = action(args, name);
    if (action.startsWith("exit:")) {
      partialLine(name);
      System.exit(Integer.parseInt(action.substring(5)));
    } else if (action.startsWith("done:")) {
      Files.writeString(Path.of(action.substring(5), "chief-done"), name);
      partialLine(name);
    } else if (action.startsWith("await:")) {
      Path done = Path.of(action.substring(6), "chief-done");
      while (!Files.exists(done)) {
        Thread.sleep(20);
      }
      System.out.println("saw " + done.getFileName());
      partialLine(name);
    } else {
      if (action.equals("ignore-term")) {
        Signal.handle(new Signal("TERM"), s -> System.out.println("ignoring SIGTERM"));
      }
      System.out.println("sleeping");
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  /** A last line without a newline: the relay must still print it, prefixed. */
  private static void partialLine(String name) {
    System.out.print("partial line of " + name);
    System.out.flush();
  }

  private static String action(String[] rules, String name) {
    String fallback = "exit:0";
    for (String rule : rules) {
      String[] parts = rule.split("=", 2);
      if (parts[0].equals(name)) {
        return parts[1];
      }
      if (parts[0].equals("*")) {
        fallback = parts[1];
      }
    }
    return fallback;
  }
}
