package dev.corral.agent.checkpoint;

import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import java.util.List;

/**
 * What the checkpoint knows about one task after a restart.
 *
 * @param pids null when the agent stopped before the monitor reported its pids
 * @param pending unacknowledged updates in {@code seq} order
 * @param killRequested whether a kill was asked for (so the task ends as KILLED, not FAILED)
 */
public record TaskCheckpoint(
    TaskInfo task, FrameworkInfo framework, TaskPids pids, List<PendingUpdate> pending, boolean killRequested) {
  public TaskCheckpoint {
    pending = List.copyOf(pending);
  }

  public String taskId() {
    return task.getTaskId();
  }

  public int lastSeq() {
    return pending.isEmpty() ? 0 : pending.get(pending.size() - 1).seq();
  }
}
