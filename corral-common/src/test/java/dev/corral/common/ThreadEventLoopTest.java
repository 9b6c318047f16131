package dev.corral.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadEventLoopTest {
  @Test
  void runsWorkInOrderOnItsOwnThreadAndSurvivesFailures() {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    List<Integer> ran = new CopyOnWriteArrayList<>();
    AtomicBoolean onLoop = new AtomicBoolean();
    loop.execute(() -> ran.add(1));
    loop.execute(() -> {
      throw new IllegalStateException("boom");
    });
    loop.execute(() -> {
      onLoop.set(loop.inLoop());
      ran.add(2);
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
    assertThat(ran).containsExactly(1, 2);
    assertThat(onLoop).isTrue();
    assertThat(loop.inLoop()).isFalse();
    loop.shutdown();
  }

  @Test
  void taggedWorkIsReplacedNotDuplicated() {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    List<String> ran = new CopyOnWriteArrayList<>();
    loop.schedule("t", Duration.ofMillis(200), () -> ran.add("first"));
    loop.schedule("t", Duration.ofMillis(50), () -> ran.add("second"));
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("second"));
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !ran.contains("first"));
    loop.shutdown();
  }
}
