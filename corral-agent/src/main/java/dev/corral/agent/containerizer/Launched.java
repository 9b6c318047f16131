package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.TaskCgroup;

/**
 * A started task.
 *
 * @param monitor the monitor as our child process, whose exit is the task's end; null if the monitor is
 *     not our direct child (then its liveness is polled, as for recovered tasks)
 * @param containerizer the name of the containerizer that started it
 */
public record Launched(TaskPids pids, Process monitor, TaskCgroup cgroup, String containerizer) {}
