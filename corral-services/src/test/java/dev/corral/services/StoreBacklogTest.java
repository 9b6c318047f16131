package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.FakeClock;
import dev.corral.common.ManualEventLoop;
import dev.corral.scheduler.FakeDriver;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.InstanceState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * While the store's writer is far behind, the scheduler adds no work it can put off: statuses wait for the
 * agent to send them again (neither applied nor acknowledged, so memory never runs ahead of the store) and
 * offers are declined; once the writer has caught up, the same status is applied.
 */
class StoreBacklogTest {
  /** A store in memory whose backlog the test sets. */
  static final class BackloggedStore extends MemoryBackedStore {
    volatile boolean backlogged;

    @Override
    public boolean backlogged() {
      return backlogged;
    }
  }

  @Test
  void aStatusIsPutOffUntilTheWriterCatchesUpAndOffersAreDeclinedMeanwhile() {
    BackloggedStore store = new BackloggedStore();
    ManualEventLoop loop = new ManualEventLoop(new FakeClock());
    FakeDriver driver = new FakeDriver();
    ServiceScheduler scheduler = Harness.runningOn(store, loop, driver);
    scheduler.createApp(Harness.object("{\"id\": \"/a\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 16, "
        + "\"instances\": 2, \"constraints\": [[\"hostname\", \"UNIQUE\"]]}"));
    loop.runPending();
    driver.scheduler().offers(List.of(Offers.big("o1", "host-a")));
    loop.runPending();
    String taskId = driver.launchedTasks().get(0).getTaskId();
    TaskStatus running = TaskStatus.newBuilder().setTaskId(taskId).setState(TaskState.TASK_RUNNING)
        .setAgentId("agent-x").setUuid("u-1").build();

    store.backlogged = true;
    driver.scheduler().update(running);
    driver.scheduler().offers(List.of(Offers.big("o2", "host-b")));
    loop.runPending();
    assertThat(driver.acks()).as("not acknowledged: the agent sends it again").isEmpty();
    assertThat(scheduler.engine().statusesPutOff()).isEqualTo(1);
    assertThat(stateOf(scheduler, loop, taskId)).isEqualTo(InstanceState.STAGING);
    assertThat(driver.declines()).extracting(FakeDriver.Decline::offerIds).contains(List.of("o2"));
    assertThat(driver.launchedTasks()).as("the second instance, bound to another host, waits").hasSize(1);

    store.backlogged = false;
    driver.scheduler().update(running); // the agent's resend
    loop.runPending();
    assertThat(driver.acks()).extracting(TaskStatus::getUuid).containsExactly("u-1");
    assertThat(stateOf(scheduler, loop, taskId)).isEqualTo(InstanceState.RUNNING);
  }

  private static InstanceState stateOf(ServiceScheduler scheduler, ManualEventLoop loop, String taskId) {
    CompletableFuture<ServicesView> view = scheduler.view();
    loop.runPending();
    return view.orTimeout(5, TimeUnit.SECONDS).join().instancesOf("/a").stream()
        .filter(i -> i.task() != null && i.task().taskId().equals(taskId)).findFirst().orElseThrow().state();
  }
}
