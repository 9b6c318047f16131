package dev.corral.agent.tasks;

import static dev.corral.agent.tasks.TaskPhase.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.common.Transitions;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskPhaseTest {
  /** The expected table, written out pair by pair, independently of the implementation. */
  private static final Set<String> LEGAL = Set.of(
      "FETCHING>LAUNCHING", "FETCHING>KILLING", "FETCHING>EXITING",
      "LAUNCHING>RUNNING", "LAUNCHING>KILLING", "LAUNCHING>EXITED",
      "RUNNING>KILLING", "RUNNING>EXITING",
      "KILLING>EXITING", "KILLING>EXITED",
      "EXITING>EXITED");

  @Test
  void everyPairFollowsTheTable() {
    int legal = 0;
    for (TaskPhase from : TaskPhase.values()) {
      for (TaskPhase to : TaskPhase.values()) {
        boolean expected = LEGAL.contains(from + ">" + to);
        assertThat(TaskPhase.TRANSITIONS.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
        if (expected) {
          legal++;
          assertThat(TaskPhase.TRANSITIONS.check(from, to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> TaskPhase.TRANSITIONS.check(from, to))
              .isInstanceOf(Transitions.IllegalTransitionException.class)
              .hasMessageContaining(from + " to " + to);
        }
      }
    }
    assertThat(legal).isEqualTo(LEGAL.size());
  }

  @Test
  void exitedIsFinal() {
    assertThat(TaskPhase.TRANSITIONS.next(EXITED)).isEmpty();
    assertThat(EXITED.live()).isFalse();
    assertThat(EXITING.live()).isFalse();
    assertThat(LAUNCHING.live()).isTrue();
    assertThat(FETCHING.live()).isFalse();
  }
}
