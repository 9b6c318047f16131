package dev.corral.master;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes agents' status updates to frameworks. The agent is the source of truth for observed state: the
 * table takes whatever it reports (an illegal move is logged, not refused), and the update goes to the
 * framework with its uuid so the framework acknowledges it. A framework that is not subscribed misses it;
 * the agent resends until acknowledged. A terminal state frees the task's resources at once; the row
 * leaves the table when that update is acknowledged ({@link TaskCalls#acknowledge}).
 * Loop thread only.
 */
final class StatusRouter {
  private static final Logger log = LoggerFactory.getLogger(StatusRouter.class);
  /** Agents replaying old updates after a failover would otherwise log one line per task. */
  private final ThrottledLog unexpectedMoves = new ThrottledLog(20);

  private final MasterState state;
  private final Allocator allocator;
  private final Maintenance maintenance;

  StatusRouter(MasterState state, Allocator allocator, Maintenance maintenance) {
    this.state = state;
    this.allocator = allocator;
    this.maintenance = maintenance;
  }

  void statusUpdate(Agent agent, TaskStatus reported) {
    if (reported.getTaskId().isEmpty() || reported.getState() == TaskState.TASK_STATE_UNSPECIFIED
        || reported.getState() == TaskState.UNRECOGNIZED) {
      log.warn("agent {} sent a status update without task id or state; ignoring it: {}", agent.id, reported);
      return;
    }
    String frameworkId = reported.getFrameworkId();
    Task task = frameworkId.isEmpty()
        ? state.findOnAgent(agent, reported.getTaskId())
        : state.tasks.get(new TaskKey(frameworkId, reported.getTaskId()));
    if (task != null) {
      frameworkId = task.key.frameworkId();
    }
    TaskStatus status = reported.toBuilder().setAgentId(agent.id).setFrameworkId(frameworkId).build();
    if (task != null) {
      TaskState from = task.latest.getState();
      TaskState to = status.getState();
      if (from != to && !TaskLifecycle.TRANSITIONS.allowed(from, to)) {
        TaskKey key = task.key;
        unexpectedMoves.log(more -> log.warn("task {} on agent {} moved {} -> {}, which the task lifecycle does not "
            + "allow; taking the agent's word for it{}", key, agent.id, from, to, more));
      }
      task.latest = status;
      if (TaskLifecycle.isTerminal(to) && state.releaseResources(task)) {
        allocator.agentChanged(agent.id);
        maintenance.checkDrained(agent);
      }
    } else {
      log.debug("status {} of task {} unknown to the master; forwarding it", status.getState(), status.getTaskId());
    }
    if (!state.sendUpdate(frameworkId, status)) {
      log.debug("framework {} not subscribed; dropping {} of {} (the agent resends it)", frameworkId,
          status.getState(), status.getTaskId());
    }
  }
}
