package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThreadEventLoop;
import dev.corral.scheduler.FakeDriver;
import dev.corral.state.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An offer round runs ahead of queued task updates all the way: the offers a round leaves for its next slice,
 * and the launches of what it placed, do not wait behind the updates queued meanwhile. Behind them, a big
 * deployment's second thousand instances waited seconds for the updates of the first.
 */
class OfferRoundAheadTest {
  private static final int UPDATES = 50;

  @Test
  void everySliceOfARoundLaunchesBeforeUpdatesQueuedAheadOfItsOffersAreApplied() throws Exception {
    ThreadEventLoop loop = new ThreadEventLoop("services-test", Clock.systemUTC());
    FakeDriver driver = new FakeDriver();
    ServiceScheduler scheduler = new ServiceScheduler(ServicesConfig.defaults("localhost", "localhost:8080"),
        new MemoryStore(), loop, driver::create);
    CountDownLatch busy = new CountDownLatch(1);
    try {
      scheduler.start();
      driver.scheduler().subscribed("fw-1");
      // 10 instances fit each offer: the round goes in slices of at most 250 placements (25 offers), each
      // slice's launches in slices of at most 16 offers, all of them loop items of their own
      int instances = 1_500;
      scheduler.createApp(Harness.object("{\"id\": \"/big\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 10,"
          + " \"instances\": " + instances + "}")).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> driver.revives() > 0);

      loop.execute(() -> {
        try {
          busy.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int i = 0; i < UPDATES; i++) {
        // updates of tasks no instance owns: each is answered with a kill and an acknowledgement
        driver.scheduler().update(TaskStatus.newBuilder().setTaskId("stray-" + i).setAgentId("agent-x")
            .setState(TaskState.TASK_RUNNING).setUuid("u-" + i).build());
      }
      List<Offer> offers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        offers.add(Offers.offer("o" + i, "host-" + i).cpus(1).mem(100).ports(31000, 31099).build());
      }
      driver.scheduler().offers(offers);
      busy.countDown();

      await().atMost(Duration.ofSeconds(20)).until(() -> driver.acks().size() == UPDATES);
      List<Object> calls = driver.calls();
      int lastLaunch = -1;
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i) instanceof FakeDriver.Launch) {
          lastLaunch = i;
        }
      }
      long acksBefore = calls.subList(0, lastLaunch).stream().filter(c -> c instanceof TaskStatus).count();
      assertThat(driver.launchedTasks()).hasSize(instances);
      // only the loop's guard against starving ordinary work lets an update through now and then (one per 16
      // urgent items); in line behind the updates, the launches would have come after all 50
      assertThat(acksBefore).as("updates acknowledged before the last launch").isLessThanOrEqualTo(5);
    } finally {
      busy.countDown();
      scheduler.close();
      loop.shutdown();
    }
  }
}
