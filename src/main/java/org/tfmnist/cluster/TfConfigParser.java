package org.tfmnist.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.TfmnistException;

/** {@code TF_CONFIG}'s JSON to a {@link ClusterConfig}; every message names TF_CONFIG. */
final class TfConfigParser {
  private static final String SOURCE = ClusterConfig.TF_CONFIG;

  private TfConfigParser() {}

  static ClusterConfig parse(String json) throws ClusterConfigException {
    JsonObject root;
    try {
      JsonElement element = JsonParser.parseString(json);
      if (!element.isJsonObject()) {
        throw new ClusterConfigException(SOURCE + ": not a JSON object");
      }
      root = element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new ClusterConfigException(
          SOURCE + ": not valid JSON: " + TfmnistException.firstLine(e.getMessage()));
    }
    JsonObject cluster = object(root, "cluster");
    JsonObject task = object(root, "task");
    Map<TaskType, List<String>> jobs = new EnumMap<>(TaskType.class);
    for (Map.Entry<String, JsonElement> job : cluster.entrySet()) {
      TaskType type = TaskType.ofJob(job.getKey());
      if (type == null) {
        throw new ClusterConfigException(
            SOURCE
                + ": cluster job \""
                + job.getKey()
                + "\" is not supported (chief or master, worker, ps, evaluator)");
      }
      if (jobs.containsKey(type)) {
        throw new ClusterConfigException(
            SOURCE + ": cluster names both \"chief\" and \"master\", the same job: give one");
      }
      jobs.put(type, addresses(job.getKey(), job.getValue()));
    }
    jobs.remove(TaskType.EVALUATOR); // outside the cluster, whoever lists it (Kubeflow does not)
    String typeName = string(task, "type");
    TaskType type = TaskType.ofJob(typeName);
    if (type == null) {
      throw new ClusterConfigException(
          SOURCE
              + ": unknown task type \""
              + typeName
              + "\" (chief or master, worker, ps or evaluator)");
    }
    return ClusterConfig.of(jobs, type, index(task), SOURCE);
  }

  private static JsonObject object(JsonObject root, String key) throws ClusterConfigException {
    JsonElement value = root.get(key);
    if (value == null || !value.isJsonObject()) {
      throw new ClusterConfigException(SOURCE + ": no \"" + key + "\" object");
    }
    return value.getAsJsonObject();
  }

  private static String string(JsonObject task, String key) throws ClusterConfigException {
    JsonElement value = task.get(key);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new ClusterConfigException(SOURCE + ": task has no \"" + key + "\" string");
    }
    return value.getAsString();
  }

  private static int index(JsonObject task) throws ClusterConfigException {
    JsonElement value = task.get("index");
    if (value == null) {
      return 0; // TensorFlow's default
    }
    try {
      if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
        double number = value.getAsDouble();
        if (number == Math.rint(number) && Math.abs(number) < Integer.MAX_VALUE) {
          return (int) number;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ClusterConfigException(SOURCE + ": task index " + value + " is not an integer");
  }

  private static List<String> addresses(String job, JsonElement value)
      throws ClusterConfigException {
    if (!value.isJsonArray()) {
      throw new ClusterConfigException(
          SOURCE + ": cluster job \"" + job + "\" is not a list of \"host:port\" strings");
    }
    JsonArray array = value.getAsJsonArray();
    List<String> addresses = new ArrayList<>();
    for (JsonElement address : array) {
      if (!address.isJsonPrimitive() || !address.getAsJsonPrimitive().isString()) {
        throw new ClusterConfigException(
            SOURCE + ": cluster job \"" + job + "\" holds " + address + ", not a \"host:port\"");
      }
      addresses.add(address.getAsString().trim());
    }
    return addresses;
  }
}
