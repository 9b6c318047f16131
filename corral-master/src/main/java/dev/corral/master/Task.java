package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;

/**
 * One row of the task table: soft state, rebuilt from agents' re-registrations after a failover.
 * Loop thread only. {@link #holdsResources} says whether its resources are counted as used on its agent and
 * allocated to its framework; they stop counting the moment a terminal status arrives, while the row stays
 * until that status is acknowledged (reconciliation can still answer it).
 */
final class Task {
  final TaskKey key;
  final TaskInfo info;
  final String agentId;
  final ResourceSet resources;
  final Scalars scalars;
  TaskStatus latest;
  boolean holdsResources;

  Task(TaskKey key, TaskInfo info, String agentId, ResourceSet resources, TaskStatus latest) {
    this.key = key;
    this.info = info;
    this.agentId = agentId;
    this.resources = resources;
    this.scalars = Scalars.of(resources);
    this.latest = latest;
  }
}
