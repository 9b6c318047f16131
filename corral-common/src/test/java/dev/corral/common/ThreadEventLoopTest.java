package dev.corral.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

  @Test
  void urgentWorkOvertakesQueuedWorkButNotTheItemRunning() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    List<String> ran = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    loop.execute(() -> {
      running.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> release.getCount() == 0);
      ran.add("running");
    });
    running.await();
    for (int i = 0; i < 3; i++) {
      int n = i;
      loop.execute(() -> ran.add("queued" + n));
    }
    loop.executeUrgent(() -> ran.add("urgent1"));
    loop.executeUrgent(() -> ran.add("urgent2"));
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 6);
    assertThat(ran).containsExactly("running", "urgent1", "urgent2", "queued0", "queued1", "queued2");
    loop.shutdown();
  }

  @Test
  void firstWorkOvertakesUrgentAndQueuedWorkButNotTheItemRunning() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    List<String> ran = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch release = holdLoop(loop);
    loop.execute(() -> ran.add("queued"));
    loop.executeUrgent(() -> {
      ran.add("urgent1");
      loop.executeFirst(() -> ran.add("first from urgent1")); // before urgent2, queued first
    });
    loop.executeUrgent(() -> ran.add("urgent2"));
    loop.executeFirst(() -> ran.add("first1"));
    loop.executeFirst(() -> ran.add("first2"));
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 6);
    assertThat(ran).containsExactly("first1", "first2", "urgent1", "first from urgent1", "urgent2", "queued");
    loop.shutdown();
  }

  /** Queues an item that keeps the loop busy until the returned latch is counted down. */
  private static java.util.concurrent.CountDownLatch holdLoop(ThreadEventLoop loop) {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    loop.execute(() -> await().atMost(Duration.ofSeconds(5)).until(() -> release.getCount() == 0));
    return release;
  }

  @Test
  void aDueUrgentTimerOvertakesWorkQueuedBeforeItFellDue() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    List<String> ran = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch release = holdLoop(loop);
    for (int i = 0; i < 3; i++) {
      int n = i;
      loop.execute(() -> ran.add("queued" + n));
    }
    assertThat(loop.scheduleUrgentIfAbsent("pass", Duration.ofMillis(1), () -> ran.add("urgent timer"))).isTrue();
    assertThat(loop.scheduleIfAbsent("plain", Duration.ofMillis(1), () -> ran.add("plain timer"))).isTrue();
    // An urgent timer frees its tag when it fires, beside the busy loop; a plain one only once the loop runs it.
    await().atMost(Duration.ofSeconds(5)).until(() -> loop.scheduleUrgentIfAbsent("pass", Duration.ofHours(1), () -> { }));
    loop.cancel("pass");
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 5);
    assertThat(ran).containsExactly("urgent timer", "queued0", "queued1", "queued2", "plain timer");
    loop.shutdown();
  }

  @Test
  void aFloodOfUrgentWorkLetsOrdinaryWorkThrough() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    List<String> ran = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch release = holdLoop(loop);
    loop.execute(() -> ran.add("ordinary"));
    for (int i = 0; i < 100; i++) {
      loop.executeUrgent(() -> ran.add("urgent"));
    }
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 101);
    assertThat(ran.indexOf("ordinary")).isLessThan(100);
    loop.shutdown();
  }

  @Test
  void callAsyncCompletesOffTheLoopOnAKeptPoolNotAThreadPerCall() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop("test-loop", Clock.systemUTC());
    try {
      CompletableFuture<String> answer = new CompletableFuture<>();
      // completed only once the continuation is attached, so that it runs where callAsync completes
      CompletableFuture<String> where = loop.callAsync(() -> answer)
          .thenApply(v -> v + " on " + Thread.currentThread().getName() + (loop.inLoop() ? " (the loop)" : ""));
      answer.complete("done");
      assertThat(where.get(5, TimeUnit.SECONDS)).startsWith("done on loop-continuation-")
          .doesNotContain("(the loop)");
    } finally {
      loop.shutdown();
    }
  }
}
