package dev.corral.jobs;

import dev.corral.scheduler.FakeDriver;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.FakeClock;
import dev.corral.common.Json;
import dev.corral.common.ManualEventLoop;
import dev.corral.jobs.engine.JobEngine;
import dev.corral.jobs.engine.JobsView;
import dev.corral.jobs.spec.JobJson;
import dev.corral.jobs.spec.ScheduleJson;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A job scheduler on a manual event loop, a fake clock, an in-memory store and a fake driver; the test plays
 * the master. Helpers run the loop until idle, so state is settled when they return.
 */
final class JobHarness {
  final FakeClock clock;
  final ManualEventLoop loop;
  final MemoryStore store;
  final FakeDriver driver = new FakeDriver();
  final JobScheduler scheduler;
  private int offers;

  JobHarness(MemoryStore store, FakeClock clock) {
    this.store = store;
    this.clock = clock;
    this.loop = new ManualEventLoop(clock);
    this.scheduler = new JobScheduler(JobsConfig.defaults("localhost"), store, loop, driver::create);
  }

  /** Started and subscribed as "fw-1" at the given instant. */
  static JobHarness running(Instant at) {
    return running(new MemoryStore(), new FakeClock(at));
  }

  static JobHarness running(MemoryStore store, FakeClock clock) {
    JobHarness h = new JobHarness(store, clock);
    h.scheduler.start();
    h.loop.runPending();
    h.driver.scheduler().subscribed("fw-1");
    h.loop.runPending();
    return h;
  }

  void createJob(String json) {
    JobJson.Parsed p = JobJson.parse(tree(json));
    await(e -> e.createJob(p.job(), p.schedules()));
  }

  void addSchedule(String jobId, String json) {
    await(e -> e.addSchedule(jobId, ScheduleJson.parse(tree(json))));
  }

  JobsView view() {
    return await(scheduler.view());
  }

  /** Advances the clock in one-minute steps (running due timers at each), like time passing. */
  void advance(Duration by) {
    Instant end = clock.instant().plus(by);
    while (clock.instant().isBefore(end)) {
      Duration step = Duration.between(clock.instant(), end);
      loop.advance(step.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : step);
      loop.runPending();
    }
  }

  /** Offers plenty of resources on one agent; returns the tasks launched on it. */
  List<TaskInfo> offer() {
    int before = driver.launchedTasks().size();
    Offer o = Offer.newBuilder().setOfferId("o-" + (++offers)).setAgentId("agent-1").setHostname("node-1")
        .addResources(Resource.newBuilder().setName("cpus").setScalar(8).setRole("*"))
        .addResources(Resource.newBuilder().setName("mem").setScalar(8192).setRole("*"))
        .addResources(Resource.newBuilder().setName("disk").setScalar(10000).setRole("*"))
        .build();
    driver.scheduler().offers(List.of(o));
    loop.runPending();
    List<TaskInfo> all = driver.launchedTasks();
    return all.subList(before, all.size());
  }

  void status(String taskId, TaskState state) {
    driver.scheduler().update(TaskStatus.newBuilder().setTaskId(taskId).setAgentId("agent-1").setState(state)
        .setUuid(UUID.randomUUID().toString()).build());
    loop.runPending();
  }

  <T> T await(Function<JobEngine, CompletableFuture<T>> command) {
    return await(scheduler.onLoop(command));
  }

  <T> T await(CompletableFuture<T> f) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    loop.runPending();
    while (!f.isDone() && System.nanoTime() < deadline) {
      try {
        f.get(5, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        loop.runPending();
      }
    }
    try {
      return f.get(1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
