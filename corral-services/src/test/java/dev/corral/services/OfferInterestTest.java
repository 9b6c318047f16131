package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.common.FakeClock;
import dev.corral.common.ManualEventLoop;
import dev.corral.state.StoreOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The master applies a launch's refuse filter when the launch arrives. An app created while a launch is
 * being committed must still get offers: the launch may not carry a long filter, and a revive must follow it.
 */
class OfferInterestTest {

  /** A store whose commits the test completes by hand, in any order. */
  static final class HeldStore extends MemoryBackedStore {
    private record Held(List<StoreOp> ops, CompletableFuture<Void> done) {}

    private final List<Held> held = new ArrayList<>();
    boolean holding;

    @Override
    public synchronized CompletableFuture<Void> commit(List<StoreOp> ops) {
      if (!holding) {
        return memory.commit(ops);
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      held.add(new Held(ops, done));
      return done;
    }

    synchronized int heldCount() {
      return held.size();
    }

    void release(int index) {
      Held h;
      synchronized (this) {
        h = held.set(index, null);
      }
      memory.commit(h.ops());
      h.done().complete(null);
    }
  }

  @Test
  void anAppCreatedWhileALaunchCommitsIsRevivedAfterTheLaunch() {
    HeldStore store = new HeldStore();
    ManualEventLoop loop = new ManualEventLoop(new FakeClock());
    FakeDriver driver = new FakeDriver();
    ServiceScheduler scheduler = Harness.runningOn(store, loop, driver);
    scheduler.createApp(Harness.object("{\"id\": \"/a\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 16}"));
    loop.runPending();

    store.holding = true;
    driver.scheduler().offers(List.of(Offers.offer("o1", "host-a").cpus(2).mem(1024).disk(100).ports(31000, 31005).build()));
    loop.runPending();
    assertThat(store.heldCount()).as("the placement of /a waits for its commit").isEqualTo(1);
    CompletableFuture<?> created =
        scheduler.createApp(Harness.object("{\"id\": \"/b\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 16}"));
    loop.runPending();
    assertThat(store.heldCount()).isEqualTo(2);

    // /b's creation becomes durable first, then /a's placement: the launch reaches the master last.
    store.release(1);
    loop.runPending();
    assertThat(created).succeedsWithin(java.time.Duration.ofSeconds(5));
    store.release(0);
    loop.runPending();
    loop.advance(dev.corral.services.engine.Engine.MIN_REVIVE_INTERVAL);

    List<Object> calls = driver.calls();
    int launchAt = -1;
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i) instanceof FakeDriver.Launch) {
        launchAt = i;
      }
    }
    assertThat(launchAt).as("/a was launched").isNotNegative();
    FakeDriver.Launch launch = (FakeDriver.Launch) calls.get(launchAt);
    assertThat(launch.refuseSeconds()).as("no long filter while /b waits").isEqualTo(5.0);
    assertThat(calls.subList(launchAt + 1, calls.size())).as("a revive follows the launch").contains("revive");
  }
}
