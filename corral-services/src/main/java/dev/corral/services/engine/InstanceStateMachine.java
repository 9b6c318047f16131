package dev.corral.services.engine;

import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThrottledLog;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.instance.TaskHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one task status to the instance that owns the task and says what follows, as effects. Pure: no
 * I/O, no clock of its own, no change to anything but the returned values.
 *
 * <p>A terminal status of a wanted instance (goal RUNNING) of the app's current config is a failure: it is
 * recorded as the app's last task failure, counted against the app's backoff, and the instance goes back to
 * SCHEDULED to get a new task once the backoff allows. This includes TASK_FINISHED: a service is meant to
 * run forever, so Marathon restarts it too. A terminal status of any other instance (decommissioned, or of
 * an older config that is being replaced) expunges it, or, for a resident instance, keeps it with its
 * reservation (see {@link AppPlanner#forget}). A status the transition table does not allow is ignored and
 * logged.
 */
final class InstanceStateMachine {
  private static final Logger log = LoggerFactory.getLogger(InstanceStateMachine.class);
  /** Updates replayed after a failover would otherwise log one line per task. */
  private static final ThrottledLog IGNORED = new ThrottledLog(20);

  private InstanceStateMachine() {}

  /**
   * @param app the app's current definition, or null when the app was deleted
   */
  static List<Effect> onStatus(Instance instance, TaskStatus status, AppDefinition app, Instant now) {
    InstanceState next;
    try {
      next = InstanceState.of(status.getState());
    } catch (IllegalArgumentException e) {
      log.warn("ignoring status {} of task {}: not a task state", status.getState(), status.getTaskId());
      return List.of();
    }
    // A health update is a RUNNING status like any other: it changes the task record, not the state.
    LaunchedTask task = instance.task().withStatus(status.getState(), status.getMessage(), now)
        .withHealth(TaskHealth.from(status, instance.task().health())).withIpAddresses(status.getIpAddressesList());
    if (next == instance.state()) {
      Instance updated = instance.withTask(task);
      return updated.equals(instance) ? List.of() : List.of(new Effect.PutInstance(updated));
    }
    if (!InstanceState.TRANSITIONS.allowed(instance.state(), next)) {
      IGNORED.log(more -> log.warn("ignoring status {} of task {}: instance {} cannot move from {} to {}{}",
          status.getState(), status.getTaskId(), instance.id(), instance.state(), next, more));
      return List.of();
    }
    Instance moved = next == InstanceState.UNREACHABLE ? instance.moveToUnreachable(task, now)
        : instance.moveTo(next, task);
    if (!next.isTerminal()) {
      return List.of(new Effect.PutInstance(moved));
    }
    if (neverReserved(instance, status) || (instance.isResident()
        && status.getState() == dev.corral.api.v1.TaskState.TASK_GONE_BY_OPERATOR)) {
      // nothing is reserved: the call that was to make it was dropped unread, or the operator declared the
      // agent gone for good, with its volumes
      moved = moved.withoutReservation();
    }
    List<Effect> effects = new ArrayList<>(3);
    boolean wanted = instance.goal() == Goal.RUNNING;
    if (wanted && app != null) {
      effects.add(new Effect.RecordFailure(failure(app, instance.task(), status, now)));
    }
    if (wanted && app != null && instance.configVersion().equals(app.configVersion())) {
      Duration ranFor = task.startedAt() == null ? null : Duration.between(task.startedAt(), now);
      effects.add(new Effect.CountFailure(app.id(), ranFor));
      effects.add(new Effect.PutInstance(moved.moveTo(InstanceState.SCHEDULED, null)));
    } else {
      // a resident instance keeps its reservation: stopped, to be taken up again, unless its app is gone
      effects.add(AppPlanner.forget(moved, AppPlanner.keptGoal(instance, app)));
    }
    return effects;
  }

  /** Whether the master dropped the launch that was to make the instance's reservation before reading it. */
  private static boolean neverReserved(Instance instance, TaskStatus status) {
    // the instance's task id: a pod instance's statuses are its containers', its reservation names the group
    return instance.isResident() && instance.reservation().madeBy().equals(instance.taskId())
        && status.getState() == dev.corral.api.v1.TaskState.TASK_DROPPED
        && status.getReason() == StatusReason.REASON_INVALID_OFFERS;
  }

  static TaskFailure failure(AppDefinition app, LaunchedTask task, TaskStatus status, Instant now) {
    Instant at = status.getTimestampMillis() > 0 ? Instant.ofEpochMilli(status.getTimestampMillis()) : now;
    return new TaskFailure(app.id(), task.host(), describe(status, app), status.getState().name(), task.taskId(),
        at, task.appVersion(), task.agentId());
  }

  /** The agent's own message when it gave one; otherwise a sentence built from the reason and exit code. */
  static String describe(TaskStatus status, AppDefinition app) {
    if (!status.getMessage().isBlank()) {
      return status.getMessage();
    }
    StatusReason reason = status.getReason();
    if (reason == StatusReason.REASON_CONTAINER_LIMITATION_MEMORY) {
      return "Memory limit exceeded: killed by the OOM killer (limit " + Math.round(app.mem()) + " MB)";
    }
    if (status.hasExitStatus()) {
      return "Command exited with status " + status.getExitStatus();
    }
    if (status.hasSignal()) {
      return "Command terminated by signal " + status.getSignal();
    }
    String why = reason == StatusReason.REASON_UNSPECIFIED ? ""
        : " (" + reason.name().substring("REASON_".length()).toLowerCase().replace('_', ' ') + ")";
    return "Task ended as " + status.getState().name() + why;
  }
}
