package dev.corral.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransitionsTest {
  enum Light { RED, GREEN, YELLOW }

  @Test
  void onlyListedMovesAreLegal() {
    Transitions<Light> t = Transitions.of(Light.class)
        .from(Light.RED, Light.GREEN).from(Light.GREEN, Light.YELLOW).from(Light.YELLOW, Light.RED).build();
    for (Light from : Light.values()) {
      for (Light to : Light.values()) {
        boolean legal = to.ordinal() == (from.ordinal() + 1) % 3 && from != to;
        // RED→GREEN, GREEN→YELLOW, YELLOW→RED follow enum order modulo 3.
        assertThat(t.allowed(from, to)).as(from + "->" + to).isEqualTo(legal);
        if (!legal) {
          assertThatThrownBy(() -> t.check(from, to)).hasMessageContaining(from + " to " + to);
        }
      }
    }
  }
}
