package dev.corral.agent.checkpoint;

import dev.corral.api.v1.TaskStatus;

/**
 * A status update not yet acknowledged by the scheduler. {@code seq} orders a task's updates (1 for the
 * first) and names its checkpoint file, so they are resent in the order they happened.
 */
public record PendingUpdate(int seq, TaskStatus status) {
  public String uuid() {
    return status.getUuid();
  }
}
