package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Kubernetes manifests in deploy/k8s, parsed, and the few paths into them the tests read. */
final class K8sManifests {
  private static final Path K8S = Path.of("deploy", "k8s");

  private K8sManifests() {}

  /** Every document of every file (its name under {@code _file}): the four kinds deploy/ needs. */
  static List<Map<String, Object>> allDocuments() throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (Reader reader = Files.newBufferedReader(file)) {
          for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
            Map<String, Object> m = map(doc);
            m.put("_file", file.getFileName().toString());
            docs.add(m);
          }
        }
      }
    }
    assertEquals(
        List.of(
            "ConfigMap",
            "Deployment",
            "Deployment",
            "Kustomization",
            "NetworkPolicy",
            "PersistentVolumeClaim",
            "Service",
            "Service",
            "TFJob"),
        docs.stream().map(d -> (String) d.get("kind")).sorted().toList());
    return docs;
  }

  /** The one document of {@code kind} in {@code file}. */
  static Map<String, Object> only(String kind, String file) throws IOException {
    List<Map<String, Object>> found =
        allDocuments().stream()
            .filter(d -> kind.equals(d.get("kind")) && file.equals(d.get("_file")))
            .toList();
    assertEquals(1, found.size(), kind);
    assertEquals(file, found.get(0).get("_file"));
    return found.get(0);
  }

  /** The pod specs in a Deployment or a TFJob (none in other kinds). */
  static List<Map<String, Object>> podSpecs(Map<String, Object> doc) {
    Map<String, Object> spec = map(doc.getOrDefault("spec", Map.of()));
    if ("Deployment".equals(doc.get("kind"))) {
      return List.of(map(map(spec.get("template")).get("spec")));
    }
    if ("TFJob".equals(doc.get("kind"))) {
      return map(spec.get("tfReplicaSpecs")).values().stream()
          .map(r -> map(map(map(r).get("template")).get("spec")))
          .toList();
    }
    return List.of();
  }

  static Map<String, Object> portsByName(Map<String, Object> container) {
    Map<String, Object> ports = new HashMap<>();
    for (Object p : list(container.get("ports"))) {
      ports.put((String) map(p).get("name"), map(p).get("containerPort"));
    }
    return ports;
  }

  static String mountPath(Map<String, Object> container, String volume) {
    return list(container.get("volumeMounts")).stream()
        .map(K8sManifests::map)
        .filter(m -> volume.equals(m.get("name")))
        .map(m -> (String) m.get("mountPath"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount of " + volume));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertTrue(o instanceof Map, "a mapping: " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    assertTrue(o instanceof List, "a list: " + o);
    return (List<Object>) o;
  }

  static List<String> strings(Object o) {
    return list(o).stream().map(a -> (String) a).toList();
  }
}
