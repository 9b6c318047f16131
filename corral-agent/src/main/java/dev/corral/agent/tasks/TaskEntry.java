package dev.corral.agent.tasks;

import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.checkpoint.PendingUpdate;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Future;

/**
 * One task in the agent's table. Mutable, and owned by the agent's event loop: only
 * {@link TaskSupervisor} touches it, only on the loop thread. Workers get copies of what they need.
 */
final class TaskEntry {
  final TaskInfo task;
  final FrameworkInfo framework;
  final String frameworkId;
  TaskPhase phase;
  /** Null until the monitor reported them (LAUNCHING) and for a launch the agent never finished. */
  TaskPids pids;
  /** The fetch in progress (FETCHING), cancelled by a kill; null otherwise. */
  Future<?> fetch;
  /** The monitor as our child; null for recovered tasks, whose liveness is polled instead. */
  Process monitor;
  TaskCgroup cgroup = TaskCgroup.NONE;
  /** Whether the task came from the checkpoint, so its end is found by polling /proc. */
  boolean recovered;
  boolean killRequested;
  Duration killGrace;
  /** Unacknowledged updates in the order they happened. */
  final Deque<PendingUpdate> pending = new ArrayDeque<>();
  /** The last update the agent produced, acknowledged or not; null before the first. */
  TaskStatus latest;
  int nextSeq = 1;

  /** When an update of this task last went out (clock millis); 0 when none has since the agent started. */
  long lastSentMillis;
  /**
   * How long the oldest pending update waits unanswered before it is sent again; 0 for the retry interval.
   * Doubles at each resend (see {@link TaskSupervisor#resendOldestPending}), back to 0 when anything is heard.
   */
  long retryMillis;

  TaskEntry(TaskInfo task, FrameworkInfo framework, TaskPhase phase) {
    this.task = task;
    this.framework = framework;
    this.frameworkId = task.getFrameworkId().isEmpty() ? framework.getFrameworkId() : task.getFrameworkId();
    this.phase = phase;
  }

  String id() {
    return task.getTaskId();
  }

  void moveTo(TaskPhase next) {
    phase = TaskPhase.TRANSITIONS.check(phase, next);
  }

  /** Adds an update that is being sent now (clock millis), so the retry timer leaves it alone for a while. */
  void addPending(PendingUpdate update, long sentAtMillis) {
    addPending(update);
    lastSentMillis = sentAtMillis;
    retryMillis = 0;
  }

  /** Adds an update read back from the checkpoint (not sent since this agent started). */
  void addPending(PendingUpdate update) {
    pending.addLast(update);
    latest = update.status();
    nextSeq = Math.max(nextSeq, update.seq() + 1);
  }
}
