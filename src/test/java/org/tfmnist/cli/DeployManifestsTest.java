package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.cli.K8sManifests.allDocuments;
import static org.tfmnist.cli.K8sManifests.list;
import static org.tfmnist.cli.K8sManifests.map;
import static org.tfmnist.cli.K8sManifests.mountPath;
import static org.tfmnist.cli.K8sManifests.only;
import static org.tfmnist.cli.K8sManifests.podSpecs;
import static org.tfmnist.cli.K8sManifests.portsByName;
import static org.tfmnist.cli.K8sManifests.strings;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tfmnist.serving.MonitoringOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * deploy/ agrees with the CLI: every container runs a real subcommand with real options (parsed by
 * picocli as the container's JVM would), serve's container ports are serve's defaults, the
 * readiness probe asks for the served model, the TFJob's replicas run the same training command,
 * and the Dockerfile starts the jar the pom builds. These manifests cannot run here (no Kubernetes,
 * no Docker engine): this is what can be checked without them.
 */
@Tag("unit")
class DeployManifestsTest {
  private static final Path DEPLOY = Path.of("deploy");

  /** TF Serving's gRPC port, while {@code --port} is still an alias of the REST port here. */
  private static final int TF_SERVING_GRPC_PORT = 8500;

  private static final String METRICS_PATH = "/monitoring/prometheus/metrics";

  /** The CLI's command tree, built once (it is the costly part of this test). */
  private static final CommandLine CLI = Main.commandLine();

  @Test
  void everyContainerRunsASubcommandWithItsOwnOptions() throws IOException {
    List<Map<String, Object>> containers = new ArrayList<>();
    for (Map<String, Object> doc : allDocuments()) {
      podSpecs(doc)
          .forEach(pod -> list(pod.get("containers")).forEach(c -> containers.add(map(c))));
    }
    containers.removeIf(c -> !"tfmnist".equals(c.get("image"))); // TensorBoard's own image
    assertEquals(5, containers.size(), "TFJob PS, Chief, Worker, Evaluator and serve");
    for (Map<String, Object> container : containers) {
      List<String> args = strings(container.get("args"));
      CommandLine sub = subcommand(args.get(0));
      assertNotNull(sub, "'" + args.get(0) + "' is not a subcommand of tfmnist");
      for (String arg : args.subList(1, args.size())) {
        if (arg.startsWith("--")) {
          String flag = arg.split("=", 2)[0];
          assertNotNull(
              sub.getCommandSpec().findOption(flag), flag + " is not an option of " + args.get(0));
        }
      }
      CLI.parseArgs(args.toArray(String[]::new));
    }
  }

  @Test
  void serveListensOnItsDefaultPortsAndIsReadyWhenTheNamedModelIs() throws Exception {
    Map<String, Object> deployment = only("Deployment", "serve.yaml");
    Map<String, Object> pod = podSpecs(deployment).get(0);
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    List<String> args = strings(container.get("args"));
    CommandSpec serve = subcommand("serve").getCommandSpec();
    int rest = Integer.parseInt(value(args, serve, "--rest_api_port"));
    OptionSpec port = serve.findOption("--port");
    int grpc =
        port == serve.findOption("--rest_api_port")
            ? TF_SERVING_GRPC_PORT
            : Integer.parseInt(value(args, serve, "--port"));
    Map<String, Object> ports = portsByName(container);
    assertEquals(Map.of("grpc", grpc, "http", rest), ports);
    assertEquals("0.0.0.0", value(args, serve, "--host"), "reachable from outside the pod");

    String model = value(args, serve, "--model_name");
    Map<String, Object> ready = map(map(container.get("readinessProbe")).get("httpGet"));
    assertEquals("/v1/models/" + model, ready.get("path"));
    assertEquals("http", ready.get("port"));
    Map<String, Object> live = map(map(container.get("livenessProbe")).get("httpGet"));
    assertEquals(METRICS_PATH, live.get("path"));
    // the metrics are served only because the mounted monitoring config enables them there
    String monitoring = value(args, serve, "--monitoring_config_file");
    Map<String, Object> configMap = only("ConfigMap", "serve.yaml");
    String file = monitoring.substring(monitoring.lastIndexOf('/') + 1);
    assertEquals(mountPath(container, "monitoring") + "/" + file, monitoring);
    MonitoringOptions parsed =
        MonitoringOptions.parse((String) map(configMap.get("data")).get(file), file);
    assertEquals(new MonitoringOptions(true, METRICS_PATH), parsed);

    Map<String, Object> annotations =
        map(
            map(map(map(deployment.get("spec")).get("template")).get("metadata"))
                .get("annotations"));
    assertEquals(
        Map.of(
            "prometheus.io/scrape",
            "true",
            "prometheus.io/path",
            METRICS_PATH,
            "prometheus.io/port",
            Integer.toString(rest)),
        annotations);
    String base = value(args, serve, "--model_base_path");
    assertTrue(base.startsWith(mountPath(container, "work") + "/"), base + " on the volume");

    Map<String, Object> service = only("Service", "serve.yaml");
    Map<String, Object> servicePorts = new java.util.HashMap<>();
    for (Object p : list(map(service.get("spec")).get("ports"))) {
      assertEquals(map(p).get("name"), map(p).get("targetPort"));
      servicePorts.put((String) map(p).get("name"), map(p).get("port"));
    }
    assertEquals(ports, servicePorts);
  }

  @Test
  void theTfJobRunsOneTrainingCommandOnPsChiefAndWorkers() throws IOException {
    Map<String, Object> job = only("TFJob", "tfjob.yaml");
    assertEquals("kubeflow.org/v1", job.get("apiVersion"));
    Map<String, Object> replicas = map(map(job.get("spec")).get("tfReplicaSpecs"));
    assertEquals(Set.of("PS", "Chief", "Worker", "Evaluator"), replicas.keySet());
    List<String> first = null;
    for (Map.Entry<String, Object> replica : replicas.entrySet()) {
      Map<String, Object> spec = map(replica.getValue());
      Map<String, Object> container =
          map(list(map(map(spec.get("template")).get("spec")).get("containers")).get(0));
      assertEquals("tensorflow", container.get("name"), "the operator's container name");
      assertEquals(Map.of("tfjob-port", 2222), portsByName(container));
      List<String> args = strings(container.get("args"));
      first = first == null ? args : first;
      assertEquals(first, args, replica.getKey() + " runs the same command line");
      assertTrue(subcommand(args.get(0)).getCommand() instanceof MnistTrainingCommand, args.get(0));
      for (String flag : ClusterCommand.CLUSTER_FLAGS) {
        assertFalse(args.contains(flag), flag + ": the operator sets TF_CONFIG");
      }
      CommandSpec training = subcommand(args.get(0)).getCommandSpec();
      String mount = mountPath(container, "work");
      for (String dir : List.of("--data-dir", "--run-dir", "--export-base")) {
        assertTrue(
            value(args, training, dir).startsWith(mount + "/"), dir + " on the shared volume");
      }
    }
    Map<String, Object> claim = only("PersistentVolumeClaim", "storage.yaml");
    assertEquals(List.of("ReadWriteMany"), map(claim.get("spec")).get("accessModes"));
    for (Map<String, Object> doc : allDocuments()) {
      for (Map<String, Object> pod : podSpecs(doc)) {
        Map<String, Object> volume = map(list(pod.get("volumes")).get(0));
        assertEquals(
            map(claim.get("metadata")).get("name"),
            map(volume.get("persistentVolumeClaim")).get("claimName"));
      }
    }
  }

  @Test
  void theDockerfileStartsTheJarThePomBuilds() throws Exception {
    String finalName =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile())
            .getElementsByTagName("finalName")
            .item(0)
            .getTextContent()
            .strip();
    List<String> lines = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
    String entry = instruction(lines, "ENTRYPOINT").get(0);
    List<String> command = List.of(new Gson().fromJson(entry, String[].class));
    assertEquals("java", command.get(0));
    String jar = command.get(command.indexOf("-jar") + 1);
    assertEquals(finalName + ".jar", Path.of(jar).getFileName().toString());
    assertTrue(
        instruction(lines, "COPY").stream()
            .anyMatch(
                c ->
                    c.matches(
                        "--from=build \\S+/target/"
                            + finalName
                            + "\\.jar \\./"
                            + Path.of(jar).getFileName())),
        "the runtime stage copies target/" + finalName + ".jar");
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.contains("mvn -B -Plean") && l.contains("-DskipTests -DskipCds package")),
        "the build stage packages with the lean profile");
    assertTrue(
        Files.readString(Path.of("pom.xml")).contains("<id>lean</id>"), "the pom has -Plean");
    assertEquals(List.of("8500 8501 2222"), instruction(lines, "EXPOSE"));
    List<String> context = Files.readAllLines(Path.of(".dockerignore"));
    for (String copy : instruction(lines, "COPY")) {
      if (!copy.startsWith("--from=")) {
        List<String> parts = List.of(copy.split("\\s+"));
        for (String source : parts.subList(0, parts.size() - 1)) {
          assertTrue(
              context.contains("!" + source.replaceAll("/$", "")),
              source + " is in the build context (.dockerignore)");
        }
      }
    }
    List<String> user = instruction(lines, "USER");
    assertEquals(1, user.size());
    assertFalse(user.get(0).startsWith("0") || user.get(0).startsWith("root"), user.get(0));
    for (String from : instruction(lines, "ARG")) {
      if (from.contains("IMAGE=")) {
        assertTrue(from.contains("temurin-17") || from.contains("temurin:17"), from);
      }
    }
  }

  private static CommandLine subcommand(String name) {
    return CLI.getSubcommands().get(name);
  }

  /** The value {@code args} give the option {@code flag} (any of its names), else its default. */
  private static String value(List<String> args, CommandSpec command, String flag) {
    OptionSpec option = command.findOption(flag);
    assertNotNull(option, flag);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      for (String name : option.names()) {
        if (arg.equals(name)) {
          return args.get(i + 1);
        }
        if (arg.startsWith(name + "=")) {
          return arg.substring(name.length() + 1);
        }
      }
    }
    return option.defaultValue();
  }

  /** The arguments of every {@code NAME args} line of the Dockerfile. */
  private static List<String> instruction(List<String> lines, String name) {
    return lines.stream()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> l.substring(name.length() + 1).strip())
        .toList();
  }
}
