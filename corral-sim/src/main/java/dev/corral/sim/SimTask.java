package dev.corral.sim;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;

/** One task on a simulated agent. Confined to the agent's shard thread. */
final class SimTask {
  final TaskInfo task;
  final FrameworkInfo framework;
  final String frameworkId;
  /** The latest update, or null before the first one. */
  TaskStatus latest;
  /** Updates not yet acknowledged, oldest first; they are resent in this order. */
  final ArrayDeque<TaskStatus> pending = new ArrayDeque<>(2);
  /** When an update of this task last went out ({@link System#nanoTime}): the retry timer spares fresh ones. */
  long lastSentNanos;
  /** How long the oldest pending update waits before it is resent; 0 for the retry interval (then doubling). */
  long retryNanos;
  /** The timer that will report the task RUNNING (or failed); null once it has. */
  ScheduledFuture<?> launch;

  SimTask(TaskInfo task, FrameworkInfo framework, String frameworkId) {
    this.task = task;
    this.framework = framework;
    this.frameworkId = frameworkId;
  }

  String id() {
    return task.getTaskId();
  }
}
