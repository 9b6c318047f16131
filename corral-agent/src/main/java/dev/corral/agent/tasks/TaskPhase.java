package dev.corral.agent.tasks;

import dev.corral.common.Transitions;

/**
 * Where a task is in the agent's hands (not the scheduler's {@code TaskState}, which the agent reports).
 *
 * <pre>
 *  FETCHING ──▶ LAUNCHING ──▶ RUNNING ──▶ KILLING ──▶ EXITING ──▶ EXITED
 *     │  │         │  │          └──────────────────────▲           ▲
 *     │  │         │  └──▶ KILLING (kill before the pid is known)   │
 *     │  │         └─────────────────────────────────────────────────┘ launch failed (also from KILLING)
 *     │  └──▶ KILLING (kill while fetching: the fetch is cancelled, no process ever starts)
 *     └──▶ EXITING (fetch failed: the terminal update is being written)
 * </pre>
 * FETCHING: the task's artifacts are being fetched into its sandbox (only tasks that have some start
 * here). LAUNCHING: a worker is starting the monitor. RUNNING: the task's pid is known. KILLING: SIGTERM sent,
 * SIGKILL due after the grace period. EXITING: the monitor is gone; a worker reads the exit status and
 * removes the cgroups. EXITED: the terminal update exists and waits for its acknowledgement, after which
 * the task is forgotten (removed from the table; no state of its own). Recovery puts a task straight into
 * RUNNING, KILLING or EXITED.
 */
public enum TaskPhase {
  FETCHING,
  LAUNCHING,
  RUNNING,
  KILLING,
  EXITING,
  EXITED;

  public static final Transitions<TaskPhase> TRANSITIONS = Transitions.of(TaskPhase.class)
      .from(FETCHING, LAUNCHING, KILLING, EXITING)
      .from(LAUNCHING, RUNNING, KILLING, EXITED)
      .from(RUNNING, KILLING, EXITING)
      .from(KILLING, EXITING, EXITED)
      .from(EXITING, EXITED)
      .build();

  /** Whether the task's process may still be alive (a FETCHING task has none yet). */
  public boolean live() {
    return this == LAUNCHING || this == RUNNING || this == KILLING;
  }
}
