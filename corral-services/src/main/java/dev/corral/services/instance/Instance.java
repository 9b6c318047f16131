package dev.corral.services.instance;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance of an app: a slot that the scheduler keeps filled with a task. Persisted in its own store node
 * once it is first placed, before its task is launched, and at each change after that but STARTING; a new
 * instance that has never been placed ({@link #waitingFirstPlace}) lives in memory only, since recovery
 * re-plans every app and creates the instances it lacks. Immutable; changes produce new values.
 *
 * <p>Hard state (all of it): the desired {@link #goal} is written by the scheduler, the observed
 * {@link #state} and the task's status only by placement and status updates.
 *
 * @param configVersion the app's {@code lastConfigChangeAt} the instance was created for; an instance of an
 *     older config is replaced, not relaunched
 * @param task the current task, null while SCHEDULED
 * @param unreachableSince when the task was first reported unreachable; null unless the state is UNREACHABLE
 * @param reservation what a resident instance holds on its agent (reserved resources, persistent volumes);
 *     null for other instances, and for a resident one until it is first placed
 */
public record Instance(String id, String appId, String configVersion, Goal goal, InstanceState state,
    Instant createdAt, LaunchedTask task, Instant unreachableSince, Reservation reservation) {

  public Instance(String id, String appId, String configVersion, Goal goal, InstanceState state,
      Instant createdAt, LaunchedTask task) {
    this(id, appId, configVersion, goal, state, createdAt, task, null, null);
  }

  public Instance(String id, String appId, String configVersion, Goal goal, InstanceState state,
      Instant createdAt, LaunchedTask task, Instant unreachableSince) {
    this(id, appId, configVersion, goal, state, createdAt, task, unreachableSince, null);
  }

  public Instance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(state, "state");
    if (state == InstanceState.SCHEDULED && task != null) {
      throw new IllegalArgumentException("a scheduled instance has no task: " + id);
    }
    if (state != InstanceState.UNREACHABLE) {
      unreachableSince = null;
    }
  }

  /** A new instance of an app, waiting for a place. */
  public static Instance scheduled(String id, String appId, String configVersion, Instant now) {
    return new Instance(id, appId, configVersion, Goal.RUNNING, InstanceState.SCHEDULED, now, null);
  }

  /**
   * Whether this is a wanted instance waiting for a place with nothing on any agent: no task, no reservation.
   * Such an instance, never written, holds nothing that a recovery would need (see {@code Engine#written}).
   */
  public boolean waitingFirstPlace() {
    return state == InstanceState.SCHEDULED && task == null && reservation == null && goal == Goal.RUNNING;
  }

  /** Moves to {@code next}, checking the transition table. */
  public Instance moveTo(InstanceState next, LaunchedTask newTask) {
    InstanceState.TRANSITIONS.check(state, next);
    return new Instance(id, appId, configVersion, goal, next, createdAt, newTask, unreachableSince, reservation);
  }

  /** Moves to UNREACHABLE, remembering since when (kept if it already was). */
  public Instance moveToUnreachable(LaunchedTask newTask, Instant now) {
    InstanceState.TRANSITIONS.check(state, InstanceState.UNREACHABLE);
    return new Instance(id, appId, configVersion, goal, InstanceState.UNREACHABLE, createdAt, newTask,
        unreachableSince == null ? now : unreachableSince, reservation);
  }

  /** The same state with an updated task record (a repeated status). */
  public Instance withTask(LaunchedTask newTask) {
    return new Instance(id, appId, configVersion, goal, state, createdAt, newTask, unreachableSince, reservation);
  }

  public Instance withGoal(Goal newGoal) {
    return new Instance(id, appId, configVersion, newGoal, state, createdAt, task, unreachableSince, reservation);
  }

  /** Placed for the first time: the reservation its tasks will always launch on. */
  public Instance withReservation(Reservation newReservation) {
    return new Instance(id, appId, configVersion, goal, state, createdAt, task, unreachableSince, newReservation);
  }

  /** Without its reservation (never made: the launch that would have made it was refused). */
  public Instance withoutReservation() {
    return withReservation(null);
  }

  /**
   * A stopped resident instance taken up again for {@code newConfigVersion}: it waits for a task on its
   * reservation, keeping its volumes' data. Its task, if any, has ended.
   */
  public Instance adopted(String newConfigVersion) {
    return new Instance(id, appId, newConfigVersion, Goal.RUNNING, InstanceState.SCHEDULED, createdAt, null, null,
        reservation);
  }

  /** A resident instance whose task has ended and that is not wanted now: it keeps its reservation only. */
  public Instance parked(Goal newGoal) {
    return new Instance(id, appId, configVersion, newGoal, InstanceState.SCHEDULED, createdAt, null, null,
        reservation);
  }

  public boolean isResident() {
    return reservation != null;
  }

  /** Whether the task has been unreachable for at least {@code seconds} at {@code now}. */
  public boolean unreachableFor(double seconds, Instant now) {
    return unreachableSince != null && !now.isBefore(unreachableSince.plusMillis((long) (seconds * 1000)));
  }

  public boolean hasLiveTask() {
    return task != null && state.isLive();
  }

  /** Waiting for an offer: wanted, and without a task. */
  public boolean isWaiting() {
    return goal == Goal.RUNNING && state == InstanceState.SCHEDULED;
  }

  public String taskId() {
    return task == null ? null : task.taskId();
  }
}
