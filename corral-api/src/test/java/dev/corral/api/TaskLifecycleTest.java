package dev.corral.api;

import static dev.corral.api.v1.TaskState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.TaskState;
import dev.corral.common.Transitions;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest {
  private static final Set<TaskState> LIVE = EnumSet.of(TASK_STAGING, TASK_STARTING, TASK_RUNNING, TASK_KILLING);

  /** The expected table, written independently of the implementation's construction. */
  private static boolean expected(TaskState from, TaskState to) {
    if (from == TASK_STATE_UNSPECIFIED || to == TASK_STATE_UNSPECIFIED || from == to) {
      return false;
    }
    if (TaskLifecycle.isTerminal(from)) {
      return false;
    }
    if (TaskLifecycle.isTerminal(to)) {
      return true;
    }
    return switch (from) {
      case TASK_STAGING -> to == TASK_STARTING || to == TASK_RUNNING || to == TASK_KILLING || to == TASK_UNREACHABLE;
      case TASK_STARTING -> to == TASK_RUNNING || to == TASK_KILLING || to == TASK_UNREACHABLE;
      case TASK_RUNNING -> to == TASK_KILLING || to == TASK_UNREACHABLE;
      case TASK_KILLING -> to == TASK_UNREACHABLE;
      case TASK_UNREACHABLE -> LIVE.contains(to);
      default -> false;
    };
  }

  @Test
  void everyPairFollowsTheTable() {
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        if (from == TaskState.UNRECOGNIZED || to == TaskState.UNRECOGNIZED) {
          continue;
        }
        boolean legal = expected(from, to);
        assertThat(TaskLifecycle.TRANSITIONS.allowed(from, to)).as(from + " -> " + to).isEqualTo(legal);
        if (!legal) {
          assertThatThrownBy(() -> TaskLifecycle.TRANSITIONS.check(from, to))
              .isInstanceOf(Transitions.IllegalTransitionException.class);
        }
      }
    }
  }
}
