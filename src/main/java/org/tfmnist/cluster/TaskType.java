package org.tfmnist.cluster;

import org.tfmnist.EnumIds;

/** The jobs of a cluster, named as {@code TF_CONFIG} names them. */
public enum TaskType {
  /** The worker that initialises, checkpoints, evaluates and writes the run directory. */
  CHIEF,
  /** A replica that trains on its shard of the data and writes nothing. */
  WORKER,
  /** A parameter server: holds variables, runs no model. */
  PS;

  /** The job name: {@code chief}, {@code worker} or {@code ps}. */
  public String jobName() {
    return EnumIds.id(this);
  }

  /** The type for a job name, or null when it is not one of the three. */
  public static TaskType ofJob(String job) {
    for (TaskType type : values()) {
      if (type.jobName().equals(job)) {
        return type;
      }
    }
    return null;
  }
}
