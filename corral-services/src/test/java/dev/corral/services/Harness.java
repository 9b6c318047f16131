package dev.corral.services;

import dev.corral.scheduler.FakeDriver;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.FakeClock;
import dev.corral.common.Json;
import dev.corral.common.ManualEventLoop;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.engine.WriteResult;
import dev.corral.services.instance.Instance;
import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A service scheduler on a manual event loop, a fake clock, an in-memory store and a fake driver; the test
 * plays the master. Every helper runs the loop until idle, so state is settled when it returns.
 */
public final class Harness {
  public final FakeClock clock;
  public final ManualEventLoop loop;
  public final MemoryStore store;
  public final FakeDriver driver = new FakeDriver();
  public final ServiceScheduler scheduler;

  public Harness() {
    this(new MemoryStore(), new FakeClock());
  }

  public Harness(MemoryStore store, FakeClock clock) {
    this(store, clock, ServicesConfig.defaults("localhost", "localhost:8080"));
  }

  public Harness(MemoryStore store, FakeClock clock, ServicesConfig config) {
    this.store = store;
    this.clock = clock;
    this.loop = new ManualEventLoop(clock);
    this.scheduler = new ServiceScheduler(config, store, loop, driver::create);
  }

  /** Starts and subscribes as framework "fw-1". */
  public static Harness running() {
    return running(ServicesConfig.defaults("localhost", "localhost:8080"));
  }

  /** Starts with the given config and subscribes as framework "fw-1". */
  public static Harness running(ServicesConfig config) {
    Harness h = new Harness(new MemoryStore(), new FakeClock(), config);
    h.scheduler.start();
    h.loop.runPending();
    h.subscribe("fw-1");
    return h;
  }

  /**
   * A scheduler on {@code store} (one a test changes a behaviour of), started and subscribed as framework
   * "fw-1", the loop run until idle.
   */
  public static ServiceScheduler runningOn(Store store, ManualEventLoop loop, FakeDriver driver) {
    ServiceScheduler scheduler = new ServiceScheduler(ServicesConfig.defaults("localhost", "localhost:8080"), store,
        loop, driver::create);
    scheduler.start();
    loop.runPending();
    driver.scheduler().subscribed("fw-1");
    loop.runPending();
    return scheduler;
  }

  public void subscribe(String frameworkId) {
    driver.scheduler().subscribed(frameworkId);
    loop.runPending();
  }

  public WriteResult create(String json) {
    return await(scheduler.createApp(object(json)));
  }

  public WriteResult update(String id, String json) {
    return await(scheduler.updateApp(id, object(json)));
  }

  public WriteResult delete(String id) {
    return await(scheduler.deleteApp(id));
  }

  public void offers(Offer... offers) {
    driver.scheduler().offers(List.of(offers));
    loop.runPending();
  }

  public void status(String taskId, TaskState state) {
    status(taskId, state, "", StatusReason.REASON_UNSPECIFIED);
  }

  public void status(String taskId, TaskState state, String message, StatusReason reason) {
    TaskInfo task = driver.launchedTasks().stream().filter(t -> t.getTaskId().equals(taskId)).findFirst().orElse(null);
    send(TaskStatus.newBuilder().setTaskId(taskId).setState(state).setMessage(message).setReason(reason)
        .setAgentId(task == null ? "agent-x" : task.getAgentId()).setUuid(UUID.randomUUID().toString()).build());
  }

  public void send(TaskStatus status) {
    driver.scheduler().update(status);
    loop.runPending();
  }

  /** Moves every launched task that is still staging to RUNNING. */
  public void runAll() {
    for (Instance i : instances()) {
      if (i.task() != null && i.task().lastState() == TaskState.TASK_STAGING) {
        status(i.task().taskId(), TaskState.TASK_RUNNING);
      }
    }
  }

  public ServicesView view() {
    return await(scheduler.view());
  }

  public List<Instance> instances() {
    return view().instances().values().stream().flatMap(List::stream).toList();
  }

  public List<Instance> instances(String appId) {
    return view().instancesOf(appId);
  }

  public WriteResult killTask(String appId, String taskId, boolean scale) {
    return await(scheduler.killTasks(appId, Set.of(taskId), null, scale));
  }

  /** Runs the loop until the future is done: commands that read the store first re-enter the loop later. */
  public <T> T await(CompletableFuture<T> f) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    loop.runPending();
    while (!f.isDone() && System.nanoTime() < deadline) {
      try {
        f.get(5, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
        loop.runPending();
      }
    }
    try {
      return f.get(1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static ObjectNode object(String json) {
    try {
      return (ObjectNode) Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
