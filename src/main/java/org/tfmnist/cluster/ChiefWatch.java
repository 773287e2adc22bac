package org.tfmnist.cluster;

import org.tfmnist.TfmnistException;

/**
 * The rule a ps task and the evaluator apply to the chief, checked between their waits: a chief
 * seen before and unreachable for {@link PsTask#CHIEF_GRACE_MS} (time for a restarted chief to come
 * back), or never reached in {@link PsTask#FIRST_CONTACT_MS}, is lost for good.
 */
final class ChiefWatch {
  private final String name;
  private final String address;
  private final long started = System.currentTimeMillis();
  private long lastSeen = -1;

  ChiefWatch(ClusterConfig config) {
    name = ClusterConfig.taskName(config.chiefType(), 0);
    address = config.tasks(config.chiefType()).get(0);
  }

  /** Probes the chief; throws the one-line error naming it once it is lost. */
  void check() throws TfmnistException {
    long now = System.currentTimeMillis();
    if (LostTask.reachable(address)) {
      lastSeen = now;
    } else if (lastSeen >= 0
        ? now - lastSeen > PsTask.CHIEF_GRACE_MS
        : now - started > PsTask.FIRST_CONTACT_MS) {
      throw LostTask.lost(
          name,
          address,
          lastSeen >= 0
              ? "unreachable for " + PsTask.CHIEF_GRACE_MS / 1000 + " s"
              : "never reached in " + PsTask.FIRST_CONTACT_MS / 1000 + " s",
          null);
    }
  }
}
