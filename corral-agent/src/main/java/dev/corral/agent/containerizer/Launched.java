package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.TaskCgroup;

import java.util.List;

/**
 * A started task.
 *
 * @param monitor the monitor as our child process, whose exit is the task's end; null if the monitor is
 *     not our direct child (then its liveness is polled, as for recovered tasks)
 * @param containerizer the name of the containerizer that started it
 * @param ipAddresses the task's own addresses (container networking); empty on the host's network
 */
public record Launched(TaskPids pids, Process monitor, TaskCgroup cgroup, String containerizer,
    List<String> ipAddresses) {
  public Launched {
    ipAddresses = List.copyOf(ipAddresses);
  }

  public Launched(TaskPids pids, Process monitor, TaskCgroup cgroup, String containerizer) {
    this(pids, monitor, cgroup, containerizer, List.of());
  }
}
