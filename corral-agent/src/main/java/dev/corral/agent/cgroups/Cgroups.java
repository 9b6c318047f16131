package dev.corral.agent.cgroups;

import java.io.IOException;

/**
 * The isolation the process containerizer can give tasks on this host: cgroups v1, v2, or none.
 * Implementations are immutable after detection and safe to call from any thread; the calls do blocking
 * file I/O and belong on worker threads.
 */
public interface Cgroups {

  /** Whether tasks get cgroups at all. */
  boolean enabled();

  /** One line for the operator, e.g. {@code cgroups v1 (cpu, memory, pids)} or why there are none. */
  String describe();

  /** Creates the task's cgroups with their limits; on failure nothing is left behind. */
  TaskCgroup create(String taskId, CgroupLimits limits) throws IOException;

  /** The cgroups a task would have, for a task recovered after a restart; they may no longer exist. */
  TaskCgroup existing(String taskId);

  /** Where the task's control files are, per controller, for reading its counters; no I/O. */
  default CgroupPaths paths(String taskId) {
    return CgroupPaths.NONE;
  }
}
