package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskState;
import dev.corral.common.FakeClock;
import dev.corral.common.ManualEventLoop;
import dev.corral.scheduler.FakeDriver;
import dev.corral.state.StoreOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** API writes ask the store to pass queued status updates; the scheduler's own writes keep their place. */
class ApiCommitsAheadTest {
  /** Records which kind of commit each write was, then writes it to memory. */
  static final class RecordingStore extends MemoryBackedStore {
    final List<String> kinds = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Void> commit(List<StoreOp> ops) {
      kinds.add("in order");
      return memory.commit(ops);
    }

    @Override
    public synchronized CompletableFuture<Void> commitAhead(List<StoreOp> ops) {
      kinds.add("ahead");
      return memory.commit(ops);
    }
  }

  @Test
  void aCreationIsWrittenAheadAndItsStatusUpdatesInOrder() {
    RecordingStore store = new RecordingStore();
    ManualEventLoop loop = new ManualEventLoop(new FakeClock());
    FakeDriver driver = new FakeDriver();
    ServiceScheduler scheduler = Harness.runningOn(store, loop, driver);
    store.kinds.clear();

    CompletableFuture<?> created =
        scheduler.createApp(Harness.object("{\"id\": \"/a\", \"cmd\": \"sleep 1\", \"cpus\": 0.1, \"mem\": 16}"));
    loop.runPending();
    assertThat(created).succeedsWithin(java.time.Duration.ofSeconds(5)); // completes on the common pool
    assertThat(store.kinds).as("the creation itself; what the scheduler does after it keeps its place")
        .startsWith("ahead").containsOnlyOnce("ahead");

    store.kinds.clear();
    driver.scheduler().offers(List.of(Offers.big("o1", "host-a")));
    loop.runPending();
    String taskId = driver.launchedTasks().get(0).getTaskId();
    driver.scheduler().update(dev.corral.api.v1.TaskStatus.newBuilder().setTaskId(taskId)
        .setState(TaskState.TASK_RUNNING).setAgentId("agent-x").setUuid("u-1").build());
    loop.runPending();
    assertThat(store.kinds).isNotEmpty().containsOnly("in order");
  }
}
