package dev.corral.services.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnhealthyKillLimiterTest {
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
  private final Set<String> live = new HashSet<>();

  private boolean kill(UnhealthyKillLimiter l, String app, String task, int instances, Instant now) {
    boolean ok = l.tryKill(app, task, instances, now, live::contains);
    if (ok) {
      live.add(task);
    }
    return ok;
  }

  @Test
  void anAppMayHaveTenPercentOfItsInstancesInFlightAndAtLeastOne() {
    assertThat(UnhealthyKillLimiter.appLimit(0)).isEqualTo(1);
    assertThat(UnhealthyKillLimiter.appLimit(1)).isEqualTo(1);
    assertThat(UnhealthyKillLimiter.appLimit(19)).isEqualTo(1);
    assertThat(UnhealthyKillLimiter.appLimit(20)).isEqualTo(2);
    assertThat(UnhealthyKillLimiter.appLimit(1000)).isEqualTo(100);
  }

  @Test
  void killsOfAnAppWaitForEarlierOnesToEnd() {
    UnhealthyKillLimiter l = new UnhealthyKillLimiter();
    assertThat(kill(l, "/a", "t1", 20, T)).isTrue();
    assertThat(kill(l, "/a", "t2", 20, T)).isTrue();
    assertThat(kill(l, "/a", "t3", 20, T)).as("2 of 20 in flight").isFalse();
    assertThat(kill(l, "/b", "u1", 5, T)).as("another app has its own limit").isTrue();
    assertThat(l.inFlight("/a", live::contains)).isEqualTo(2);
    live.remove("t1"); // its kill completed
    assertThat(kill(l, "/a", "t3", 20, T)).isTrue();
    assertThat(l.inFlight("/a", live::contains)).isEqualTo(2);
  }

  @Test
  void theSameTaskIsNotCountedTwice() {
    UnhealthyKillLimiter l = new UnhealthyKillLimiter();
    assertThat(kill(l, "/a", "t1", 100, T)).isTrue();
    assertThat(kill(l, "/a", "t1", 100, T)).isFalse();
    assertThat(l.inFlight("/a", live::contains)).isEqualTo(1);
  }

  @Test
  void theClusterWideBucketAllowsABurstThenOneKillPerRefillStep() {
    UnhealthyKillLimiter l = new UnhealthyKillLimiter(10, Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      assertThat(kill(l, "/app-" + i, "t" + i, 1, T)).isTrue();
    }
    assertThat(kill(l, "/app-10", "t10", 1, T)).as("bucket empty").isFalse();
    assertThat(kill(l, "/app-10", "t10", 1, T.plusMillis(900))).isFalse();
    assertThat(kill(l, "/app-10", "t10", 1, T.plusSeconds(1))).as("one token per second").isTrue();
    assertThat(kill(l, "/app-11", "t11", 1, T.plusSeconds(1))).isFalse();
    assertThat(kill(l, "/app-11", "t11", 1, T.plusSeconds(60))).isTrue();
    // a long quiet time refills the bucket only up to its size
    int allowed = 0;
    for (int i = 0; i < 20; i++) {
      allowed += kill(l, "/x-" + i, "x" + i, 1, T.plusSeconds(3600)) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(10);
  }

  @Test
  void aRefusalByTheAppLimitCostsNoToken() {
    UnhealthyKillLimiter l = new UnhealthyKillLimiter(2, Duration.ofSeconds(10));
    assertThat(kill(l, "/a", "t1", 1, T)).isTrue();
    assertThat(kill(l, "/a", "t2", 1, T)).isFalse();
    assertThat(kill(l, "/b", "u1", 1, T)).as("the second token is still there").isTrue();
  }
}
