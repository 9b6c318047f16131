package dev.corral.services.instance;

import dev.corral.api.v1.TaskState;
import dev.corral.common.Transitions;
import java.util.EnumSet;
import java.util.Set;

/**
 * What is observed of an instance: the state of its current task, or SCHEDULED while it has none. Only
 * placement (SCHEDULED → STAGING, and back when the master rejects the launch) and agent status updates move
 * it; the goal ({@link Goal}) is a separate field with its own writer.
 *
 * <pre>
 *  SCHEDULED ─▶ STAGING ─▶ STARTING ─▶ RUNNING ─▶ KILLING ─▶ terminal
 *      ▲           │  └────────┴──────────┴───────────┴──────▶ terminal, UNREACHABLE
 *      │           └─▶ SCHEDULED (launch rejected by the master: the task never existed)
 *      │  UNREACHABLE ─▶ STAGING | STARTING | RUNNING | KILLING | terminal (the agent came back)
 *      └── terminal (FINISHED FAILED KILLED ERROR DROPPED GONE UNKNOWN): relaunch with a new task
 * </pre>
 * A repeated state (RUNNING, then RUNNING again) is not a transition.
 */
public enum InstanceState {
  SCHEDULED, STAGING, STARTING, RUNNING, KILLING, UNREACHABLE,
  FINISHED, FAILED, KILLED, ERROR, DROPPED, GONE, UNKNOWN;

  public static final Set<InstanceState> TERMINAL = EnumSet.of(FINISHED, FAILED, KILLED, ERROR, DROPPED, GONE, UNKNOWN);
  /** States in which a task exists on an agent (or may, while unreachable). */
  public static final Set<InstanceState> LIVE = EnumSet.of(STAGING, STARTING, RUNNING, KILLING, UNREACHABLE);

  private static final InstanceState[] ENDINGS = TERMINAL.toArray(new InstanceState[0]);

  public static final Transitions<InstanceState> TRANSITIONS = table();

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  public boolean isLive() {
    return LIVE.contains(this);
  }

  /** The instance state a task state puts an instance in. LOST and GONE_BY_OPERATOR both mean GONE. */
  public static InstanceState of(TaskState state) {
    switch (state) {
      case TASK_STAGING: return STAGING;
      case TASK_STARTING: return STARTING;
      case TASK_RUNNING: return RUNNING;
      case TASK_KILLING: return KILLING;
      case TASK_UNREACHABLE: return UNREACHABLE;
      case TASK_FINISHED: return FINISHED;
      case TASK_FAILED: return FAILED;
      case TASK_KILLED: return KILLED;
      case TASK_ERROR: return ERROR;
      case TASK_DROPPED: return DROPPED;
      case TASK_LOST:
      case TASK_GONE:
      case TASK_GONE_BY_OPERATOR: return GONE;
      case TASK_UNKNOWN: return UNKNOWN;
      default: throw new IllegalArgumentException("no instance state for " + state);
    }
  }

  private static Transitions<InstanceState> table() {
    Transitions.Builder<InstanceState> b = Transitions.of(InstanceState.class);
    b.from(SCHEDULED, STAGING);
    b.from(STAGING, STARTING, RUNNING, KILLING, UNREACHABLE, SCHEDULED).from(STAGING, ENDINGS);
    b.from(STARTING, RUNNING, KILLING, UNREACHABLE).from(STARTING, ENDINGS);
    b.from(RUNNING, KILLING, UNREACHABLE).from(RUNNING, ENDINGS);
    b.from(KILLING, UNREACHABLE).from(KILLING, ENDINGS);
    b.from(UNREACHABLE, STAGING, STARTING, RUNNING, KILLING).from(UNREACHABLE, ENDINGS);
    for (InstanceState end : ENDINGS) {
      b.from(end, SCHEDULED);
    }
    return b.build();
  }
}
