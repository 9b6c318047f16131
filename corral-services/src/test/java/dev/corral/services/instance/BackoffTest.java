package dev.corral.services.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static AppDefinition app(double seconds, double factor, double max) {
    return AppDefinition.of(Json.mapper().createObjectNode().put("id", "/a").put("backoffSeconds", seconds)
        .put("backoffFactor", factor).put("maxLaunchDelaySeconds", max));
  }

  @Test
  void theDelayGrowsByTheFactorUpToTheCap() {
    AppDefinition app = app(1, 2, 10);
    assertThat(Backoff.delayFor(app, 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delayFor(app, 2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delayFor(app, 4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Backoff.delayFor(app, 5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.delayFor(app, 5000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void marathonsDefaultsGive1sThen1150ms() {
    AppDefinition app = AppDefinition.of(Json.mapper().createObjectNode().put("id", "/a"));
    assertThat(Backoff.delayFor(app, 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delayFor(app, 2)).isEqualTo(Duration.ofMillis(1150));
    assertThat(app.maxLaunchDelaySeconds()).isEqualTo(3600);
  }

  @Test
  void aTaskThatRanLongerThanTheDelayPlusTheMarginStartsAFreshCount() {
    AppDefinition app = app(10, 2, 3600);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Backoff b = Backoff.NONE.afterFailure(app, t, null).afterFailure(app, t, Duration.ofSeconds(5));
    assertThat(b.failures()).isEqualTo(2);
    assertThat(b.delay()).isEqualTo(Duration.ofSeconds(20));
    assertThat(b.delayed(t.plusSeconds(19))).isTrue();
    assertThat(b.delayed(t.plusSeconds(20))).isFalse();
    Backoff reset = b.afterFailure(app, t, Duration.ofSeconds(20 + 31));
    assertThat(reset.failures()).isEqualTo(1);
    assertThat(reset.delay()).isEqualTo(Duration.ofSeconds(10));
  }
}
