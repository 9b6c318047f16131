package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.common.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
  private final FakeClock clock = new FakeClock();
  private final LoginLimiter limiter = new LoginLimiter(3, Duration.ofSeconds(10), clock);

  @Test
  void aBurstOfFailuresThenOneEveryRefill() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.retryAfter("uid:a", "addr:1")).isEmpty();
      limiter.failed("uid:a", "addr:1");
    }
    assertThat(limiter.retryAfter("uid:a", "addr:1")).hasValue(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(4));
    assertThat(limiter.retryAfter("uid:a")).hasValue(Duration.ofSeconds(6));
    clock.advance(Duration.ofSeconds(6));
    assertThat(limiter.retryAfter("uid:a")).isEmpty();
    limiter.failed("uid:a");
    assertThat(limiter.retryAfter("uid:a")).isPresent();
  }

  @Test
  void anAddressIsLimitedAcrossUids() {
    for (int i = 0; i < 3; i++) {
      limiter.failed("uid:u" + i, "addr:9");
    }
    assertThat(limiter.retryAfter("uid:fresh", "addr:9")).isPresent();
    assertThat(limiter.retryAfter("uid:fresh", "addr:8")).isEmpty();
  }

  @Test
  void successForgetsTheUidsFailures() {
    limiter.failed("uid:a");
    limiter.failed("uid:a");
    limiter.failed("uid:a");
    limiter.succeeded("uid:a");
    assertThat(limiter.retryAfter("uid:a")).isEmpty();
  }

  @Test
  void theBucketNeverFillsPastTheBurst() {
    clock.advance(Duration.ofDays(1));
    limiter.failed("uid:a");
    clock.advance(Duration.ofDays(1));
    for (int i = 0; i < 3; i++) {
      limiter.failed("uid:a");
    }
    assertThat(limiter.retryAfter("uid:a")).isPresent();
  }
}
