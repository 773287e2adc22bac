package org.tfmnist.cluster;

import org.tfmnist.TfmnistException;

/**
 * A cluster description that cannot be used (malformed {@code TF_CONFIG}, a task index out of
 * range, an unknown task type, a port in use, flags that contradict {@code TF_CONFIG}): one line
 * naming {@code TF_CONFIG} or the flag. The CLI exits 2 on it, before anything starts.
 */
public final class ClusterConfigException extends TfmnistException {
  public ClusterConfigException(String message) {
    super(message);
  }
}
