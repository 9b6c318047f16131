package dev.corral.api;

import dev.corral.api.v1.TaskState;
import dev.corral.common.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The legal moves of a task's state as the master and schedulers observe it.
 *
 * <pre>
 *  STAGING ─▶ STARTING ─▶ RUNNING ─▶ KILLING ─▶ (terminal)
 *     │           │          │                     ▲
 *     └───────────┴──────────┴─────────────────────┘
 *  any non-terminal ◀─▶ UNREACHABLE (partition; may come back)
 *  terminal: FINISHED FAILED KILLED ERROR LOST DROPPED GONE GONE_BY_OPERATOR
 * </pre>
 * A repeated state (RUNNING again with new health) is not a transition; callers treat it as an update.
 * UNKNOWN is what reconciliation answers for a task nobody knows; it is terminal.
 */
public final class TaskLifecycle {
  public static final Set<TaskState> TERMINAL = EnumSet.of(
      TaskState.TASK_FINISHED, TaskState.TASK_FAILED, TaskState.TASK_KILLED, TaskState.TASK_ERROR,
      TaskState.TASK_LOST, TaskState.TASK_DROPPED, TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR,
      TaskState.TASK_UNKNOWN);

  private static final TaskState[] ENDINGS = TERMINAL.toArray(new TaskState[0]);

  public static final Transitions<TaskState> TRANSITIONS = build();

  private TaskLifecycle() {}

  public static boolean isTerminal(TaskState state) {
    return TERMINAL.contains(state);
  }

  private static Transitions<TaskState> build() {
    Transitions.Builder<TaskState> b = Transitions.of(TaskState.class);
    for (TaskState live : new TaskState[] {TaskState.TASK_STAGING, TaskState.TASK_STARTING,
        TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_UNREACHABLE}) {
      b.from(live, ENDINGS);
      if (live != TaskState.TASK_UNREACHABLE) {
        b.from(live, TaskState.TASK_UNREACHABLE);
      }
      if (live != TaskState.TASK_UNREACHABLE && live != TaskState.TASK_KILLING) {
        b.from(live, TaskState.TASK_KILLING);
      }
    }
    b.from(TaskState.TASK_STAGING, TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    b.from(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    // A partitioned task reappears in whatever state its agent reports.
    b.from(TaskState.TASK_UNREACHABLE, TaskState.TASK_STAGING, TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
        TaskState.TASK_KILLING);
    return b.build();
  }
}
