package dev.corral.jobs.run;

import java.time.Instant;

/**
 * One task launched for a run (a run has more than one when ON_FAILURE relaunched it). {@code status} is the
 * last task state the agent reported, as its name (TASK_RUNNING, …); {@code completedAt} is null while live.
 */
public record RunTask(String id, String agentId, String status, Instant startedAt, Instant completedAt) {
  public RunTask withStatus(String newStatus, Instant completed) {
    return new RunTask(id, agentId, newStatus, startedAt, completed);
  }
}
