package dev.corral.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualEventLoopTest {
  @Test
  void deferredWorkRunsWhenTheClockReachesIt() {
    ManualEventLoop loop = new ManualEventLoop();
    List<String> ran = new ArrayList<>();
    loop.schedule("b", Duration.ofSeconds(2), () -> ran.add("b"));
    loop.schedule("a", Duration.ofSeconds(1), () -> ran.add("a"));
    loop.execute(() -> ran.add("now"));
    loop.runPending();
    assertThat(ran).containsExactly("now");
    loop.advance(Duration.ofMillis(1500));
    assertThat(ran).containsExactly("now", "a");
    loop.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("now", "a", "b");
  }

  @Test
  void aTagReplacesAndCancelsEarlierWork() {
    ManualEventLoop loop = new ManualEventLoop();
    List<String> ran = new ArrayList<>();
    loop.schedule("t", Duration.ofSeconds(1), () -> ran.add("first"));
    loop.schedule("t", Duration.ofSeconds(1), () -> ran.add("second"));
    assertThat(loop.scheduleIfAbsent("t", Duration.ZERO, () -> ran.add("third"))).isFalse();
    loop.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("second");
    loop.schedule("u", Duration.ofSeconds(1), () -> ran.add("cancelled"));
    loop.cancel("u");
    loop.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("second");
  }
}
