package dev.corral.agent.tasks;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.checkpoint.PendingUpdate;
import dev.corral.agent.checkpoint.TaskCheckpoint;
import java.util.List;

/**
 * A task as found on disk at start: still running ({@link TaskPhase#RUNNING} or {@link TaskPhase#KILLING})
 * or ended ({@link TaskPhase#EXITED}, with its terminal update among {@code pending}).
 */
public record RecoveredTask(TaskCheckpoint checkpoint, TaskPhase phase, TaskCgroup cgroup,
    List<PendingUpdate> pending) {
  public RecoveredTask {
    pending = List.copyOf(pending);
  }
}
