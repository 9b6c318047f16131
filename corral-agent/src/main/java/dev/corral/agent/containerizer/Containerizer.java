package dev.corral.agent.containerizer;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.api.v1.TaskInfo;
import java.nio.file.Path;

/**
 * One way of running tasks ({@code process}, {@code oci}). Every task runs under a {@link MonitorScript},
 * whatever the containerizer, so watching, recovery and exit statuses work the same for all of them; a
 * containerizer decides what the monitor runs, how signals reach the task and what to clean up after it.
 *
 * <p>Every method blocks (process spawns, file and cgroup I/O) and belongs on the agent's worker threads.
 * Implementations hold no per-task state and are safe to call from several threads at once.
 */
public interface Containerizer {

  /** The name used in {@code --containerizers} and in logs: {@code process}, {@code oci}. */
  String name();

  /** Why this containerizer cannot run the task (an image it cannot handle, ...), or null when it can. */
  String cannotRun(TaskInfo task);

  /** Whether the task whose checkpoint lives in {@code metaDir} was started by this containerizer. */
  boolean ran(Path metaDir);

  /** One line for the operator: how tasks are isolated. */
  String describeIsolation();

  /** The cgroups a recovered task has (possibly already removed). */
  TaskCgroup cgroupOf(String taskId);

  /**
   * Starts the task and returns once its pids are known. The sandbox and meta dir must exist. On failure,
   * nothing is left running.
   */
  Launched launch(LaunchRequest req) throws LaunchException;

  /** Asks the task to stop (SIGTERM). */
  void terminate(String taskId, TaskPids pids);

  /** Stops the task for good (SIGKILL) and everything in its cgroups. */
  void forceKill(String taskId, TaskPids pids, TaskCgroup cgroup);

  /**
   * Gathers how the task ended and cleans up after it. Call once its monitor is gone.
   *
   * @param justEnded false when the task ended while the agent was down
   */
  ExitFacts collect(String taskId, Path metaDir, TaskPids pids, TaskCgroup cgroup, boolean justEnded);

  /** The process of a task's COMMAND health check (see {@link ProcessContainerizer#checkProcess}). */
  ProcessBuilder checkProcess(TaskInfo task, String frameworkId, String agentId, Path sandbox, String command);
}
