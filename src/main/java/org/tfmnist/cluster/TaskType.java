package org.tfmnist.cluster;

import org.tfmnist.EnumIds;

/** The jobs of a cluster, named as {@code TF_CONFIG} names them. */
public enum TaskType {
  /** The worker that initialises, checkpoints, evaluates and writes the run directory. */
  CHIEF,
  /** A replica that trains on its shard of the data and writes nothing. */
  WORKER,
  /** A parameter server: holds variables, runs no model. */
  PS,
  /**
   * Outside the cluster (Kubeflow's {@code Evaluator}): evaluates each new checkpoint of the chief
   * on the test set. Never a job of the cluster TensorFlow's servers see.
   */
  EVALUATOR;

  /** The name TF1 and Kubeflow's {@code Master} replica give the chief. */
  public static final String MASTER = "master";

  /** The job name: {@code chief}, {@code worker}, {@code ps} or {@code evaluator}. */
  public String jobName() {
    return EnumIds.id(this);
  }

  /**
   * The type for a job name ({@code master} is the chief under its old name), or null when it is
   * none of them.
   */
  public static TaskType ofJob(String job) {
    if (MASTER.equals(job)) {
      return CHIEF;
    }
    for (TaskType type : values()) {
      if (type.jobName().equals(job)) {
        return type;
      }
    }
    return null;
  }
}
