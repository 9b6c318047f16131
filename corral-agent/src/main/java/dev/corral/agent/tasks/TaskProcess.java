package dev.corral.agent.tasks;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.TaskInfo;
import java.nio.file.Path;

/**
 * A task as a command run inside it ({@code corral task exec}) needs it: what to join and with which
 * environment. Immutable; read on the agent's loop, used on other threads.
 *
 * @param pids the task's processes while it is RUNNING; null in every other phase (launching, being
 *     killed, ended), when nothing may join it
 * @param cgroup the task's cgroups, {@link TaskCgroup#NONE} without cgroups
 */
public record TaskProcess(TaskInfo task, String frameworkId, Path sandbox, TaskPids pids, TaskCgroup cgroup) {
  public String taskId() {
    return task.getTaskId();
  }

  /** Whether the task is running, so a command may join it. */
  public boolean running() {
    return pids != null;
  }
}
