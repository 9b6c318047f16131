package dev.corral.dist.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StandbyWarmupTest {
  @Test
  void readsOnceThereIsEnoughToMatterAndAgainOnlyWhenItHasDoubled() {
    assertThat(StandbyWarmup.due(0, 0)).isFalse();
    assertThat(StandbyWarmup.due(StandbyWarmup.MIN_INSTANCES - 1, 0)).isFalse();
    assertThat(StandbyWarmup.due(StandbyWarmup.MIN_INSTANCES, 0)).isTrue();
    assertThat(StandbyWarmup.due(150_000, 100_000)).isFalse();
    assertThat(StandbyWarmup.due(100_000, 100_000)).isFalse();
    assertThat(StandbyWarmup.due(200_000, 100_000)).isTrue();
    assertThat(StandbyWarmup.due(Integer.MAX_VALUE, Integer.MAX_VALUE)).as("no overflow").isFalse();
  }
}
