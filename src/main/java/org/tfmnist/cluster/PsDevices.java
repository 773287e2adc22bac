package org.tfmnist.cluster;

import org.tensorflow.DeviceSpec;

/**
 * The parameter-server devices variables go to, round-robin in the order the graph creates them, as
 * TF1's {@code replica_device_setter} does by default: {@code /job:ps/task:0}, {@code
 * /job:ps/task:1}, ... The order is the graph's, so every task of a cluster places every variable
 * on the same ps.
 */
final class PsDevices {
  private final int count;
  private int next;

  PsDevices(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one ps task, got " + count);
    }
    this.count = count;
  }

  /** The device of the next variable. */
  synchronized DeviceSpec next() {
    int task = next;
    next = (next + 1) % count;
    return device(task);
  }

  static DeviceSpec device(int task) {
    return DeviceSpec.newBuilder().job(TaskType.PS.jobName()).replica(0).task(task).build();
  }
}
