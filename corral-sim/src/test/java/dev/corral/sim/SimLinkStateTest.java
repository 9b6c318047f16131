package dev.corral.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.common.Transitions;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimLinkStateTest {
  private static final Set<String> LEGAL = Set.of(
      "DISCONNECTED>CONNECTING", "DISCONNECTED>OFFLINE", "DISCONNECTED>STOPPED",
      "CONNECTING>REGISTERED", "CONNECTING>DISCONNECTED", "CONNECTING>OFFLINE", "CONNECTING>STOPPED",
      "REGISTERED>DISCONNECTED", "REGISTERED>OFFLINE", "REGISTERED>STOPPED",
      "OFFLINE>CONNECTING", "OFFLINE>STOPPED");

  @Test
  void everyPairFollowsTheTable() {
    for (SimLinkState from : SimLinkState.values()) {
      for (SimLinkState to : SimLinkState.values()) {
        boolean expected = LEGAL.contains(from + ">" + to);
        assertThat(SimLinkState.TRANSITIONS.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
        if (!expected) {
          assertThatThrownBy(() -> SimLinkState.TRANSITIONS.check(from, to))
              .isInstanceOf(Transitions.IllegalTransitionException.class);
        }
      }
    }
  }
}
