package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tfmnist.cli.K8sManifests.allDocuments;
import static org.tfmnist.cli.K8sManifests.list;
import static org.tfmnist.cli.K8sManifests.map;
import static org.tfmnist.cli.K8sManifests.mountPath;
import static org.tfmnist.cli.K8sManifests.only;
import static org.tfmnist.cli.K8sManifests.podSpecs;
import static org.tfmnist.cli.K8sManifests.strings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rules deploy/k8s must keep so its jobs survive the faults the docs promise and pass the
 * Kubernetes "restricted" Pod Security level: backoffLimit from the replica counts, OnFailure
 * restarts, a run directory per TFJob, RuntimeDefault seccomp and read-only root file systems
 * everywhere, a NetworkPolicy admitting port 2222 only from the job's pods, the image named in one
 * place (kustomize), an Evaluator replica and a TensorBoard on the shared volume.
 */
@Tag("unit")
class DeployRulesTest {
  /** Tries each pod of the job may fail, summed over pods (docs/deploy.md). */
  private static final int TRIES_PER_POD = 2;

  @Test
  void backoffLimitIsTwiceTheReplicasAndEveryReplicaRestartsOnFailure() throws IOException {
    Map<String, Object> spec = map(only("TFJob", "tfjob.yaml").get("spec"));
    int pods = 0;
    for (Map.Entry<String, Object> replica : map(spec.get("tfReplicaSpecs")).entrySet()) {
      Map<String, Object> r = map(replica.getValue());
      assertEquals("OnFailure", r.get("restartPolicy"), replica.getKey());
      pods += (Integer) r.get("replicas");
    }
    assertEquals(5, pods, "1 ps, 1 chief, 2 workers, 1 evaluator");
    assertEquals(TRIES_PER_POD * pods, map(spec.get("runPolicy")).get("backoffLimit"));
  }

  @Test
  void theRunDirectoryIsNamedAfterTheTfJob() throws IOException {
    Map<String, Object> job = only("TFJob", "tfjob.yaml");
    for (Object r : map(map(job.get("spec")).get("tfReplicaSpecs")).values()) {
      Map<String, Object> container =
          map(list(map(map(map(r).get("template")).get("spec")).get("containers")).get(0));
      List<String> args = strings(container.get("args"));
      assertEquals("/work/runs/$(JOB_NAME)", args.get(args.indexOf("--run-dir") + 1));
      Map<String, Object> env = map(list(container.get("env")).get(0));
      assertEquals("JOB_NAME", env.get("name"));
      assertEquals(
          "metadata.labels['training.kubeflow.org/job-name']",
          map(map(env.get("valueFrom")).get("fieldRef")).get("fieldPath"));
    }
  }

  @Test
  void everyPodIsRestricted() throws IOException {
    int pods = 0;
    for (Map<String, Object> doc : allDocuments()) {
      for (Map<String, Object> pod : podSpecs(doc)) {
        pods++;
        Map<String, Object> security = map(pod.get("securityContext"));
        assertEquals(true, security.get("runAsNonRoot"), doc.get("_file").toString());
        assertEquals(
            "RuntimeDefault",
            map(security.get("seccompProfile")).get("type"),
            doc.get("_file") + ": seccompProfile");
        for (Object c : list(pod.get("containers"))) {
          Map<String, Object> container = map(c);
          Map<String, Object> cs = map(container.get("securityContext"));
          String name = doc.get("_file") + " " + container.get("name");
          assertEquals(true, cs.get("readOnlyRootFilesystem"), name);
          assertEquals(false, cs.get("allowPrivilegeEscalation"), name);
          assertEquals(List.of("ALL"), map(cs.get("capabilities")).get("drop"), name);
          assertEquals("/tmp", mountPath(container, "tmp"), name + ": a writable /tmp");
        }
      }
    }
    assertEquals(6, pods, "PS, Chief, Worker, Evaluator, serve, TensorBoard");
  }

  @Test
  void onlyTheJobsPodsReachPort2222() throws IOException {
    Map<String, Object> policy = only("NetworkPolicy", "networkpolicy.yaml");
    Map<String, Object> spec = map(policy.get("spec"));
    Map<String, Object> jobLabels = map(map(spec.get("podSelector")).get("matchLabels"));
    Map<String, Object> job = only("TFJob", "tfjob.yaml");
    for (Object r : map(map(job.get("spec")).get("tfReplicaSpecs")).values()) {
      Map<String, Object> labels =
          map(map(map(map(r).get("template")).get("metadata")).get("labels"));
      assertTrue(labels.entrySet().containsAll(jobLabels.entrySet()), "the policy selects " + r);
    }
    assertEquals(List.of("Ingress"), spec.get("policyTypes"));
    List<Object> ingress = list(spec.get("ingress"));
    assertEquals(1, ingress.size(), "one rule: nothing else is admitted");
    Map<String, Object> rule = map(ingress.get(0));
    List<Object> from = list(rule.get("from"));
    assertEquals(1, from.size());
    assertEquals(Map.of("podSelector", Map.of("matchLabels", jobLabels)), from.get(0));
    assertEquals(List.of(Map.of("protocol", "TCP", "port", 2222)), rule.get("ports"));
  }

  @Test
  void theImageIsNamedOnceInTheKustomization() throws IOException {
    Map<String, Object> kustomization = only("Kustomization", "kustomization.yaml");
    List<String> files = new ArrayList<>();
    for (Map<String, Object> doc : allDocuments()) {
      if (!"Kustomization".equals(doc.get("kind")) && !files.contains(doc.get("_file"))) {
        files.add((String) doc.get("_file"));
      }
    }
    List<String> resources = strings(kustomization.get("resources"));
    assertEquals(files.stream().sorted().toList(), resources.stream().sorted().toList());
    Map<String, Object> image = map(list(kustomization.get("images")).get(0));
    assertEquals("tfmnist", image.get("name"));
    String registry = ((String) image.get("newName")).split("/")[0];
    assertTrue(registry.contains("."), "a qualified image name: " + image.get("newName"));
    int named = 0;
    for (Map<String, Object> doc : allDocuments()) {
      for (Map<String, Object> pod : podSpecs(doc)) {
        for (Object c : list(pod.get("containers"))) {
          String ref = (String) map(c).get("image");
          if (!ref.contains("/")) {
            assertEquals("tfmnist", ref, "only the kustomization names the image's registry/tag");
            named++;
          }
        }
      }
    }
    assertEquals(5, named);
  }

  @Test
  void tensorBoardReadsTheRunsOnTheSharedVolume() throws IOException {
    Map<String, Object> deployment = only("Deployment", "tensorboard.yaml");
    Map<String, Object> pod = podSpecs(deployment).get(0);
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    List<String> args = strings(container.get("args"));
    String logdir = args.get(args.indexOf("--logdir") + 1);
    assertEquals(mountPath(container, "work"), logdir);
    Map<String, Object> mount = map(list(container.get("volumeMounts")).get(0));
    assertEquals("runs", mount.get("subPath"));
    assertEquals(true, mount.get("readOnly"));
    assertEquals(
        "tfmnist-work",
        map(map(list(pod.get("volumes")).get(0)).get("persistentVolumeClaim")).get("claimName"));
  }
}
