package dev.corral.agent.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.common.Transitions;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkStateTest {
  private static final Set<String> LEGAL = Set.of(
      "DISCONNECTED>CONNECTING", "DISCONNECTED>CLOSED",
      "CONNECTING>REGISTERED", "CONNECTING>DISCONNECTED", "CONNECTING>CLOSED",
      "REGISTERED>DISCONNECTED", "REGISTERED>CLOSED");

  @Test
  void everyPairFollowsTheTable() {
    for (LinkState from : LinkState.values()) {
      for (LinkState to : LinkState.values()) {
        boolean expected = LEGAL.contains(from + ">" + to);
        assertThat(LinkState.TRANSITIONS.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
        if (!expected) {
          assertThatThrownBy(() -> LinkState.TRANSITIONS.check(from, to))
              .isInstanceOf(Transitions.IllegalTransitionException.class);
        }
      }
    }
  }

  @Test
  void backoffDoublesUpToTheCapAndResets() {
    Backoff b = Backoff.standard();
    long[] expected = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (long ms : expected) {
      assertThat(b.next().toMillis()).isEqualTo(ms);
    }
    b.reset();
    assertThat(b.next().toMillis()).isEqualTo(100);
  }
}
