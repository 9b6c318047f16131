package dev.corral.agent.tasks;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.checkpoint.CheckpointStore;
import dev.corral.agent.checkpoint.PendingUpdate;
import dev.corral.agent.containerizer.Launched;
import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.Containerizer;
import dev.corral.agent.containerizer.GroupVolumes;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.agent.fetch.Fetcher;
import dev.corral.agent.gpu.Gpu;
import dev.corral.agent.gpu.GpuAllocator;
import dev.corral.agent.gpu.GpuEnvironment;
import dev.corral.agent.health.HealthMonitor;
import dev.corral.agent.health.HealthReport;
import dev.corral.agent.health.Prober;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.EventLoop;
import dev.corral.common.Ids;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's task table and what happens to each task: launch, kill, exit, status updates until they are
 * acknowledged.
 *
 * <p>Threading: every public method runs on the agent's event loop, which owns the table (asserted). Slow
 * work (spawning, signals, exit collection, checkpoint writes) runs on the worker executor and
 * comes back as a loop event; a worker gets immutable values, never a {@link TaskEntry} to read or write.
 * Each update is checkpointed by the worker that produced it before the loop sees it, so nothing is sent
 * that a restart could forget.
 *
 * <p>A task with artifacts to fetch starts in FETCHING: its fetch runs on the fetch executor (bounded, apart
 * from the workers, so slow downloads never hold up other launches), reports each URI as a STARTING update
 * ("fetching URI"; like RUNNING not checkpointed, a newer one replaces an unacknowledged older one), and
 * comes back as a loop event. A kill cancels it (interrupt) and the task ends KILLED without ever starting.
 *
 * <p>Hard state is the checkpoint ({@link CheckpointStore}); the table here is rebuilt from it by
 * {@link Recovery}. Soft state: timers (kill escalation, polling of recovered tasks), the monitor
 * {@link Process} handles, and the health checks ({@link HealthMonitor}), which run while a task is RUNNING
 * and start again for recovered tasks. Their updates are RUNNING updates: like the launch's RUNNING they are
 * not checkpointed, and a newer one replaces an unacknowledged older one, so a task has at most one RUNNING
 * update waiting however often its health changes while the master is away.
 */
public final class TaskSupervisor {
  /** Where updates go (the master link); returns whether it went out, false while disconnected. */
  public interface StatusSink {
    boolean send(TaskStatus status);
  }

  private static final Logger log = LoggerFactory.getLogger(TaskSupervisor.class);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
  private static final String POLL_TAG = "poll-recovered";
  /** The longest an unanswered update waits between resends, in retry intervals (Mesos: 10 min / 10 s). */
  static final int MAX_RETRY_FACTOR = 60;
  private final GpuAllocator gpus;

  private final EventLoop loop;
  private final Executor workers;
  private final TaskWork work;
  private final CheckpointStore store;
  private final StatusFactory statuses;
  private final StatusSink sink;
  private final Duration defaultGrace;
  private final Supplier<String> agentId;
  private final Containerizer containerizer;
  private final HealthMonitor health;
  private final FetchStep fetch;
  private final ExecutorService fetchers;
  private final Map<String, TaskEntry> tasks = new LinkedHashMap<>();
  private boolean accepting = true;
  private CompletableFuture<Void> drained;

  public TaskSupervisor(EventLoop loop, Executor workers, Containerizer containerizer,
      CheckpointStore store, StatusFactory statuses, StatusSink sink, Duration defaultGrace,
      Supplier<String> agentId, Prober prober, Fetcher fetcher, ExecutorService fetchers, GpuAllocator gpus,
      SecretReader secrets) {
    this.loop = loop;
    this.gpus = gpus;
    this.fetch = new FetchStep(store, fetcher, secrets, CgroupDetector.isRoot());
    this.fetchers = fetchers;
    this.workers = workers;
    this.work = new TaskWork(store, containerizer, statuses);
    this.store = store;
    this.statuses = statuses;
    this.sink = sink;
    this.defaultGrace = defaultGrace;
    this.agentId = agentId;
    this.containerizer = containerizer;
    this.health = new HealthMonitor(loop, prober, this::onHealthReport);
  }

  /** Puts recovered tasks into the table; call once, before the first registration. */
  public void install(List<RecoveredTask> recovered) {
    loop.assertInLoop();
    for (RecoveredTask r : recovered) {
      TaskEntry e = new TaskEntry(r.checkpoint().task(), r.checkpoint().framework(), r.phase());
      e.pids = r.checkpoint().pids();
      e.cgroup = r.cgroup();
      e.killRequested = r.checkpoint().killRequested();
      e.killGrace = grace(e.task, null);
      e.nextSeq = r.checkpoint().lastSeq() + 1;
      r.pending().forEach(e::addPending);
      tasks.put(e.id(), e);
      if (e.phase.live()) {
        gpus.restore(e.id(), GpuEnvironment.assigned(e.task));
        watch(e);
        if (e.phase == TaskPhase.RUNNING) {
          startChecks(e, store.pidsWrittenAt(e.id()).orElse(loop.clock().instant()));
        }
        if (e.phase == TaskPhase.KILLING) {
          // SIGTERM went out before the restart; only the escalation is left to arm
          loop.schedule(killTag(e), e.killGrace, () -> escalate(e));
        }
      }
    }
  }

  public void runTask(TaskInfo task, FrameworkInfo framework) {
    loop.assertInLoop();
    String id = task.getTaskId();
    if (tasks.containsKey(id)) {
      log.debug("task {} is already known; RunTask ignored", id);
      return;
    }
    String frameworkId = task.getFrameworkId().isEmpty() ? framework.getFrameworkId() : task.getFrameworkId();
    String problem = TaskIds.problem(id);
    if (problem != null) {
      sink.send(statuses.invalid(task, frameworkId, agentId.get(), problem));
      return;
    }
    if (!accepting) {
      sink.send(statuses.dropped(task, frameworkId, agentId.get()));
      return;
    }
    if (!gpus.all().isEmpty()) {
      // The master counted the GPUs; the agent picks which ones, before the task is checkpointed.
      int wanted = GpuEnvironment.requested(task);
      List<Gpu> assigned = gpus.assign(id, wanted);
      if (assigned == null) {
        sink.send(statuses.invalid(task, frameworkId, agentId.get(), "the task asks for " + wanted
            + " GPU(s) but only " + gpus.freeCount() + " are free on this agent"));
        return;
      }
      task = GpuEnvironment.withGpus(task, assigned);
    }
    boolean image = !task.getContainer().getImage().isEmpty();
    String refused = containerizer.cannotRun(task);
    if (refused != null) {
      // before any fetch or pull: nothing here would run what they bring
      sink.send(statuses.invalid(task, frameworkId, agentId.get(), refused));
      return;
    }
    boolean fetching = task.getFetchCount() > 0 || image || task.getSecretsCount() > 0;
    TaskEntry e = new TaskEntry(task, framework, fetching ? TaskPhase.FETCHING : TaskPhase.LAUNCHING);
    e.killGrace = grace(task, null);
    tasks.put(id, e);
    if (fetching) {
      startFetch(e);
    } else {
      launch(e);
    }
  }

  /**
   * Runs a task group (a pod instance): all of its tasks or, when one of them cannot run here (a bad id, an
   * image this agent cannot run), none, each then reported TASK_ERROR. The tasks launch side by side, share
   * the group's volumes ({@code GroupVolumes}), and live and die together: when one ends on its own or fails
   * to start, the others are killed.
   */
  public void runTaskGroup(TaskGroupInfo group, FrameworkInfo framework) {
    loop.assertInLoop();
    String problem = null;
    for (TaskInfo task : group.getTasksList()) {
      String id = task.getTaskId();
      if (tasks.containsKey(id)) {
        log.debug("task group {} is already known; RunTaskGroup ignored", group.getGroupId());
        return;
      }
      String p = TaskIds.problem(id);
      if (p == null) {
        p = containerizer.cannotRun(task);
      }
      if (p != null && problem == null) {
        problem = "task " + id + ": " + p;
      }
    }
    if (problem != null) {
      for (TaskInfo task : group.getTasksList()) {
        String frameworkId = task.getFrameworkId().isEmpty() ? framework.getFrameworkId() : task.getFrameworkId();
        sink.send(statuses.invalid(task, frameworkId, agentId.get(), "the task group " + group.getGroupId()
            + " cannot run on this agent: " + problem));
      }
      return;
    }
    for (TaskInfo task : group.getTasksList()) {
      runTask(task.getGroupId().isEmpty() ? task.toBuilder().setGroupId(group.getGroupId()).build() : task, framework);
    }
  }

  /** A task of a group ended on its own or never started: the rest of its group is killed (Mesos's default executor). */
  private void endGroup(TaskEntry ended) {
    String group = ended.task.getGroupId();
    if (group.isEmpty() || ended.killRequested) {
      return;
    }
    for (TaskEntry other : new ArrayList<>(tasks.values())) {
      if (other != ended && group.equals(other.task.getGroupId()) && !other.killRequested
          && (other.phase == TaskPhase.FETCHING || other.phase == TaskPhase.LAUNCHING || other.phase == TaskPhase.RUNNING)) {
        log.info("killing task {}: task {} of its group {} ended", other.id(), ended.id(), group);
        killTask(other.id(), other.frameworkId, null);
      }
    }
  }

  /** Kills a task: SIGTERM now, SIGKILL after the grace period ({@code grace} null: the task's own). */
  public void killTask(String taskId, String frameworkId, Duration grace) {
    loop.assertInLoop();
    TaskEntry e = tasks.get(taskId);
    if (e == null) {
      sink.send(statuses.unknown(taskId, frameworkId, agentId.get()));
      return;
    }
    if (grace != null) {
      e.killGrace = grace;
    }
    if (e.phase == TaskPhase.FETCHING) {
      e.killRequested = true;
      e.moveTo(TaskPhase.KILLING);
      if (e.fetch != null) {
        e.fetch.cancel(true);
        e.fetch = null;
      }
      TaskStatus killed = statuses.killedWhileFetching(e.task, e.frameworkId, agentId.get(), Ids.uuid());
      int seq = e.nextSeq;
      onWorker(() -> work.record(taskId, killed, seq), update -> onCollected(e, update));
      return;
    }
    if (e.phase == TaskPhase.LAUNCHING || e.phase == TaskPhase.RUNNING) {
      e.killRequested = true;
      boolean pidKnown = e.phase == TaskPhase.RUNNING;
      e.moveTo(TaskPhase.KILLING);
      health.stop(taskId); // a task being killed is not checked: its answers mean nothing any more
      if (pidKnown) {
        startKill(e); // otherwise the kill starts as soon as the launch reports the pid
      }
    }
    // KILLING: already on its way; EXITING/EXITED: already ended, the terminal update says how
  }

  /** The scheduler acknowledged one update: drop it; after the terminal one, forget the task. */
  public void acknowledge(String taskId, String uuid) {
    loop.assertInLoop();
    TaskEntry e = tasks.get(taskId);
    if (e == null) {
      return;
    }
    for (Iterator<PendingUpdate> it = e.pending.iterator(); it.hasNext(); ) {
      PendingUpdate u = it.next();
      if (u.uuid().equals(uuid)) {
        it.remove();
        e.retryMillis = 0; // the scheduler answers again: the next pending update waits one interval
        try {
          store.deleteUpdate(taskId, u.seq()); // an unlink, cheap enough for the loop; no fsync needed
        } catch (IOException ex) {
          log.warn("cannot delete acknowledged update {} of task {}: {}", uuid, taskId, ex.toString());
        }
        if (TaskLifecycle.isTerminal(u.status().getState())) {
          forget(e);
          dropGroupVolumes(e);
        }
        return;
      }
    }
  }

  /**
   * Sends each task's oldest unacknowledged update again, on a timer. Only the oldest: newer ones went out when
   * they happened, and each becomes the oldest once the one before is acknowledged, so updates still arrive in
   * order at least once, without a burst of stale ones (a STARTING repeated after its RUNNING) for every task
   * at every retry. An update is sent again once it has waited {@code retryInterval} unanswered, then twice as
   * long each time, up to {@link #MAX_RETRY_FACTOR} intervals (Mesos: 10 s to 10 min): a scheduler that is
   * slow because it is overloaded is not sent every pending update again every interval on top of its work.
   * The timer runs on its own beat, so an update is never resent moments after it went out.
   */
  public void resendOldestPending(Duration retryInterval) {
    loop.assertInLoop();
    long now = loop.clock().millis();
    long base = retryInterval.toMillis();
    for (TaskEntry e : tasks.values()) {
      PendingUpdate oldest = e.pending.peekFirst();
      long wait = e.retryMillis == 0 ? base : e.retryMillis;
      if (oldest == null || now - e.lastSentMillis < wait) {
        continue; // nothing pending, or sent recently: its acknowledgement may well be on its way
      }
      if (!sink.send(oldest.status())) {
        return;
      }
      e.lastSentMillis = now;
      e.retryMillis = Math.min(wait * 2, base * MAX_RETRY_FACTOR);
    }
  }

  /** Sends every unacknowledged update again, in order per task: after (re-)registering, the master may have none. */
  public void resendPending() {
    loop.assertInLoop();
    for (TaskEntry e : tasks.values()) {
      e.retryMillis = 0;
      for (PendingUpdate u : e.pending) {
        if (!sink.send(u.status())) {
          return;
        }
      }
    }
  }

  /** Every task with its latest status, for (re-)registration. */
  public List<AgentTask> snapshot() {
    loop.assertInLoop();
    List<AgentTask> out = new ArrayList<>();
    for (TaskEntry e : tasks.values()) {
      out.add(AgentTask.newBuilder().setTask(e.task).setFramework(e.framework).setLatestStatus(latest(e)).build());
    }
    return out;
  }

  /** Kills every task and accepts no new ones; completes once all have ended. */
  public CompletableFuture<Void> killAll() {
    loop.assertInLoop();
    accepting = false;
    for (TaskEntry e : new ArrayList<>(tasks.values())) {
      killTask(e.id(), e.frameworkId, null);
    }
    return whenDrained();
  }

  /** Drops every task's checkpoint (the master removed this agent; sandboxes stay for their logs). */
  public void forgetAll() {
    loop.assertInLoop();
    for (TaskEntry e : new ArrayList<>(tasks.values())) {
      forget(e);
    }
  }

  public int size() {
    loop.assertInLoop();
    return tasks.size();
  }

  // ---- fetch

  private void startFetch(TaskEntry e) {
    TaskInfo task = e.task;
    FrameworkInfo framework = e.framework;
    try {
      e.fetch = fetchers.submit(() -> {
        FetchStep.Fetched fetched;
        try {
          fetched = fetch.run(task, framework, message -> loop.execute(() -> onFetchProgress(e, message)));
        } catch (InterruptedException ex) {
          return; // killed while fetching; the kill has reported it
        } catch (RuntimeException ex) {
          log.error("fetch of task {} failed", task.getTaskId(), ex);
          fetched = FetchStep.Fetched.failed("fetch failed: " + ex);
        }
        FetchStep.Fetched outcome = fetched;
        loop.execute(() -> onFetched(e, outcome));
      });
    } catch (RejectedExecutionException ex) {
      log.debug("fetchers stopped; fetch of {} dropped", task.getTaskId());
    }
  }

  /** A STARTING "fetching URI" / "pulling IMAGE" update; it replaces an unacknowledged older one (never checkpointed). */
  private void onFetchProgress(TaskEntry e, String message) {
    if (tasks.get(e.id()) != e || e.phase != TaskPhase.FETCHING) {
      return;
    }
    e.pending.removeIf(u -> u.status().getState() == TaskState.TASK_STARTING);
    TaskStatus status = statuses.starting(e.task, e.frameworkId, agentId.get(), message, Ids.uuid());
    e.addPending(new PendingUpdate(e.nextSeq, status), loop.clock().millis());
    sink.send(status);
  }

  private void onFetched(TaskEntry e, FetchStep.Fetched fetched) {
    if (tasks.get(e.id()) != e || e.phase != TaskPhase.FETCHING) {
      return; // killed meanwhile
    }
    e.fetch = null;
    String failure = fetched.failure();
    if (failure == null) {
      e.moveTo(TaskPhase.LAUNCHING);
      launch(e, fetched.secrets());
      return;
    }
    e.moveTo(TaskPhase.EXITING);
    TaskStatus failed = statuses.launchFailed(e.task, e.frameworkId, agentId.get(), failure, Ids.uuid());
    int seq = e.nextSeq;
    String id = e.id();
    onWorker(() -> work.record(id, failed, seq), update -> onCollected(e, update));
  }

  /** The task as readers outside the loop may see it; empty for a task the agent never ran or forgot. */
  public java.util.Optional<TaskSummary> summary(String taskId) {
    loop.assertInLoop();
    TaskEntry e = tasks.get(taskId);
    return e == null ? java.util.Optional.empty()
        : java.util.Optional.of(new TaskSummary(e.task, e.frameworkId, e.phase.live()));
  }

  /** The task's process for {@code exec}; empty for a task the agent never ran or forgot. */
  public java.util.Optional<TaskProcess> process(String taskId) {
    loop.assertInLoop();
    TaskEntry e = tasks.get(taskId);
    if (e == null) {
      return java.util.Optional.empty();
    }
    TaskPids running = e.phase == TaskPhase.RUNNING ? e.pids : null;
    return java.util.Optional.of(new TaskProcess(e.task, e.frameworkId, store.sandbox(taskId), running, e.cgroup));
  }

  /** Ids of the tasks whose process may still be alive (whose logs may grow). */
  public List<String> liveTaskIds() {
    loop.assertInLoop();
    List<String> out = new ArrayList<>();
    for (TaskEntry e : tasks.values()) {
      if (e.phase.live()) {
        out.add(e.id());
      }
    }
    return out;
  }

  // ---- launch

  private void launch(TaskEntry e) {
    launch(e, TaskSecretFiles.Given.NONE);
  }

  /** @param secrets what the task's secrets add, for this launch only */
  private void launch(TaskEntry e, TaskSecretFiles.Given secrets) {
    TaskInfo task = e.task;
    FrameworkInfo framework = e.framework;
    String frameworkId = e.frameworkId;
    String agent = agentId.get();
    int seq = e.nextSeq;
    onWorker(() -> work.launch(task, secrets, framework, frameworkId, agent, seq),
        outcome -> onLaunched(e, outcome));
  }

  private void onLaunched(TaskEntry e, TaskWork.LaunchOutcome outcome) {
    if (tasks.get(e.id()) != e) {
      return;
    }
    if (outcome.launched() == null) {
      e.moveTo(TaskPhase.EXITED);
      e.addPending(outcome.update(), loop.clock().millis());
      sink.send(outcome.update().status());
      endGroup(e);
      checkDrained();
      return;
    }
    Launched launched = outcome.launched();
    e.pids = launched.pids();
    e.cgroup = launched.cgroup();
    e.monitor = launched.monitor();
    if (e.phase == TaskPhase.LAUNCHING) {
      e.moveTo(TaskPhase.RUNNING);
    }
    e.addPending(outcome.update(), loop.clock().millis());
    sink.send(outcome.update().status());
    watch(e);
    if (e.phase == TaskPhase.KILLING) {
      startKill(e);
    } else {
      startChecks(e, loop.clock().instant());
    }
  }

  // ---- health and readiness checks

  private void startChecks(TaskEntry e, Instant since) {
    if (!HealthMonitor.hasChecks(e.task)) {
      return;
    }
    TaskInfo task = e.task;
    String frameworkId = e.frameworkId;
    String agent = agentId.get();
    Path sandbox = store.sandbox(e.id());
    health.start(e.id(), task, since,
        command -> containerizer.checkProcess(task, frameworkId, agent, sandbox, command));
  }

  /** A change in a RUNNING task's checks: one RUNNING update that replaces any unacknowledged older one. */
  private void onHealthReport(String taskId, HealthReport report) {
    TaskEntry e = tasks.get(taskId);
    if (e == null || e.phase != TaskPhase.RUNNING) {
      return;
    }
    e.pending.removeIf(u -> u.status().getState() == TaskState.TASK_RUNNING); // never checkpointed: no file
    TaskStatus status = statuses.health(e.task, e.frameworkId, agentId.get(), report, Ids.uuid());
    PendingUpdate update = new PendingUpdate(e.nextSeq, status);
    e.addPending(update, loop.clock().millis());
    log.info("task {}: {}", taskId, report.message());
    sink.send(status);
  }

  // ---- watching for the end

  private void watch(TaskEntry e) {
    if (e.monitor != null) {
      e.monitor.onExit().thenRun(() -> loop.execute(() -> onMonitorExit(e)));
    } else {
      e.recovered = true;
      loop.scheduleIfAbsent(POLL_TAG, POLL_INTERVAL, this::poll);
    }
  }

  /** Checks the monitors of recovered tasks (not our children, so there is no exit event to wait for). */
  private void poll() {
    Map<String, TaskPids> watched = new LinkedHashMap<>();
    for (TaskEntry e : tasks.values()) {
      if (e.recovered && (e.phase == TaskPhase.RUNNING || e.phase == TaskPhase.KILLING)) {
        watched.put(e.id(), e.pids);
      }
    }
    if (watched.isEmpty()) {
      return;
    }
    onWorker(() -> {
      List<String> gone = new ArrayList<>();
      watched.forEach((id, pids) -> {
        if (!ProcStat.alive(pids.monitorPid(), pids.monitorStart())) {
          gone.add(id);
        }
      });
      return gone;
    }, gone -> {
      for (String id : gone) {
        TaskEntry e = tasks.get(id);
        if (e != null && e.pids == watched.get(id)) { // the same task, not a later one with its id
          onMonitorExit(e);
        }
      }
      loop.scheduleIfAbsent(POLL_TAG, POLL_INTERVAL, this::poll);
    });
  }

  private void onMonitorExit(TaskEntry e) {
    if (tasks.get(e.id()) != e || (e.phase != TaskPhase.RUNNING && e.phase != TaskPhase.KILLING)) {
      return;
    }
    e.moveTo(TaskPhase.EXITING);
    health.stop(e.id());
    loop.cancel(killTag(e));
    TaskInfo task = e.task;
    String frameworkId = e.frameworkId;
    TaskPids pids = e.pids;
    TaskCgroup cgroup = e.cgroup;
    boolean killed = e.killRequested;
    int seq = e.nextSeq;
    String agent = agentId.get();
    onWorker(() -> work.collect(task, frameworkId, agent, pids, cgroup, killed, false, seq),
        update -> onCollected(e, update));
  }

  private void onCollected(TaskEntry e, PendingUpdate update) {
    if (tasks.get(e.id()) != e) {
      return;
    }
    e.moveTo(TaskPhase.EXITED);
    e.monitor = null;
    gpus.release(e.id());
    e.addPending(update, loop.clock().millis());
    sink.send(update.status());
    endGroup(e);
    checkDrained();
  }

  // ---- killing

  private void startKill(TaskEntry e) {
    String id = e.id();
    TaskPids pids = e.pids;
    onWorker(() -> {
      work.terminate(id, pids);
      return null;
    }, ignored -> { });
    loop.schedule(killTag(e), e.killGrace, () -> escalate(e));
  }

  private void escalate(TaskEntry e) {
    if (tasks.get(e.id()) != e || e.phase != TaskPhase.KILLING) {
      return;
    }
    log.info("task {} outlived its {} grace period; sending SIGKILL", e.id(), e.killGrace);
    String id = e.id();
    TaskPids pids = e.pids;
    TaskCgroup cgroup = e.cgroup;
    onWorker(() -> {
      work.forceKill(id, pids, cgroup);
      return null;
    }, ignored -> { });
  }

  private Duration grace(TaskInfo task, Duration override) {
    if (override != null) {
      return override;
    }
    double seconds = task.getKillGracePeriodSeconds();
    return seconds > 0 ? Duration.ofMillis(Math.round(seconds * 1000)) : defaultGrace;
  }

  private static String killTag(TaskEntry e) {
    return "kill:" + e.id();
  }

  // ---- bookkeeping

  private TaskStatus latest(TaskEntry e) {
    if (e.latest != null) {
      return e.latest;
    }
    if (e.pids == null) {
      return statuses.staging(e.task, e.frameworkId, agentId.get());
    }
    return statuses.running(e.task, e.frameworkId, agentId.get(), "");
  }

  private void forget(TaskEntry e) {
    tasks.remove(e.id());
    gpus.release(e.id());
    health.stop(e.id());
    loop.cancel(killTag(e));
    try {
      store.forget(e.id());
    } catch (IOException ex) {
      log.warn("cannot delete the checkpoint of task {}: {}", e.id(), ex.toString());
    }
    checkDrained();
  }

  /** After the last task of a group is forgotten: its ephemeral volumes go (its sandboxes, with the logs, stay). */
  private void dropGroupVolumes(TaskEntry e) {
    String group = e.task.getGroupId();
    if (group.isEmpty() || e.task.getVolumeMountsCount() == 0
        || tasks.values().stream().anyMatch(t -> group.equals(t.task.getGroupId()))) {
      return;
    }
    Path dir = GroupVolumes.groupDir(store.sandbox(e.id()), group);
    onWorker(() -> {
      try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      } catch (java.nio.file.NoSuchFileException ignored) {
        // no volume was ever made
      } catch (IOException ex) {
        log.warn("cannot remove the volumes of task group {}: {}", group, ex.toString());
      }
      return null;
    }, ignored -> { });
  }

  private CompletableFuture<Void> whenDrained() {
    if (drained == null) {
      drained = new CompletableFuture<>();
    }
    CompletableFuture<Void> result = drained;
    checkDrained();
    return result;
  }

  private void checkDrained() {
    if (drained == null) {
      return;
    }
    for (TaskEntry e : tasks.values()) {
      if (e.phase != TaskPhase.EXITED) {
        return;
      }
    }
    drained.complete(null);
    drained = null;
  }

  /** Runs {@code job} on a worker and hands its result to {@code then} on the loop. */
  private <T> void onWorker(Supplier<T> job, Consumer<T> then) {
    try {
      CompletableFuture.supplyAsync(job, workers).whenComplete((result, error) -> {
        if (error != null) {
          log.error("agent worker failed", error);
        } else {
          loop.execute(() -> then.accept(result));
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("workers stopped; work dropped");
    }
  }
}
