package dev.corral.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckHealthTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(10);
  private static final Instant T2 = T0.plusSeconds(20);

  @Test
  void aPassMakesTheCheckAliveAndRemembersTheFirstSuccess() {
    CheckHealth h = CheckHealth.UNKNOWN.after(ProbeResult.PASSED, T0, true);
    assertThat(h.counted()).isTrue();
    assertThat(h.alive()).isTrue();
    assertThat(h.firstSuccess()).isEqualTo(T0);
    CheckHealth again = h.after(ProbeResult.PASSED, T1, false);
    assertThat(again.firstSuccess()).isEqualTo(T0);
    assertThat(again.lastSuccess()).isEqualTo(T1);
    assertThat(h.worthReporting(again)).as("a pass after a pass is no news").isFalse();
    assertThat(CheckHealth.UNKNOWN.worthReporting(h)).as("the first result is").isTrue();
  }

  @Test
  void failuresCountAndAPassResetsTheCount() {
    CheckHealth h = CheckHealth.UNKNOWN.after(ProbeResult.failed("HTTP status 500"), T0, false);
    assertThat(h.alive()).isFalse();
    assertThat(h.consecutiveFailures()).isEqualTo(1);
    assertThat(h.lastFailureCause()).isEqualTo("HTTP status 500");
    CheckHealth twice = h.after(ProbeResult.failed("refused"), T1, false);
    assertThat(twice.consecutiveFailures()).isEqualTo(2);
    assertThat(twice.lastFailure()).isEqualTo(T1);
    assertThat(h.worthReporting(twice)).as("the count changed").isTrue();
    CheckHealth healed = twice.after(ProbeResult.PASSED, T2, false);
    assertThat(healed.consecutiveFailures()).isZero();
    assertThat(healed.alive()).isTrue();
    assertThat(healed.lastFailureCause()).as("kept for the API").isEqualTo("refused");
    assertThat(twice.worthReporting(healed)).isTrue();
  }

  @Test
  void failuresWithinTheGracePeriodCountOnlyAfterAFirstSuccess() {
    assertThat(CheckHealth.UNKNOWN.after(ProbeResult.failed("starting"), T0, true)).isEqualTo(CheckHealth.UNKNOWN);
    CheckHealth passed = CheckHealth.UNKNOWN.after(ProbeResult.PASSED, T0, true);
    assertThat(passed.after(ProbeResult.failed("down"), T1, true).consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void anIgnoredResultChangesNothing() {
    CheckHealth h = CheckHealth.UNKNOWN.after(ProbeResult.failed("x"), T0, false);
    assertThat(h.after(ProbeResult.IGNORED, T1, false)).isEqualTo(h);
  }

  @Test
  void theProtoCarriesTimesInMillisAndZeroForNever() {
    CheckHealth h = CheckHealth.UNKNOWN.after(ProbeResult.failed("x"), T0, false);
    var p = h.toProto(2);
    assertThat(p.getIndex()).isEqualTo(2);
    assertThat(p.getAlive()).isFalse();
    assertThat(p.getLastFailureMillis()).isEqualTo(T0.toEpochMilli());
    assertThat(p.getFirstSuccessMillis()).isZero();
    assertThat(p.getLastFailureCause()).isEqualTo("x");
  }
}
