package dev.corral.jobs.engine;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.EventLoop;
import dev.corral.jobs.run.JobHistory;
import dev.corral.jobs.run.JobRun;
import dev.corral.jobs.run.RunState;
import dev.corral.jobs.run.RunTask;
import dev.corral.jobs.spec.JobJson;
import dev.corral.jobs.spec.JobSpec;
import dev.corral.jobs.spec.ScheduleSpec;
import dev.corral.scheduler.Scheduler;
import dev.corral.scheduler.SchedulerDriver;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job scheduler's core: jobs, schedules, runs and histories, offers, status updates and timers.
 *
 * <p>Threading: everything runs on the one event loop and asserts it. Store commits complete elsewhere and
 * re-enter the loop; driver calls that act on a change (launch, kill, acknowledge) and command answers wait
 * until the store has it (persist before acknowledge).
 *
 * <p>Hard state (the store, {@link JobPaths}): jobs, schedules with their last handled occurrence, live runs,
 * histories, the framework id. Soft state: timers (schedule occurrences, launch deadlines), offers; both
 * are rebuilt by {@link #recover} and {@link #subscribed}.
 *
 * <p>Missed occurrences (the scheduler was down, or a timer fired late): only the most recent missed
 * occurrence of a schedule may start a run, and only while it is at most {@code startingDeadlineSeconds}
 * old; older ones are skipped.
 */
public final class JobEngine implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(JobEngine.class);
  static final double REFUSE_SHORT_SECONDS = 5;
  static final double REFUSE_LONG_SECONDS = 120;
  static final Duration KILL_RETRY = Duration.ofSeconds(30);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final Store store;
  private final EventLoop loop;
  private final String defaultUser;
  private final Map<String, JobSpec> jobs = new TreeMap<>();
  private final Map<String, Map<String, ScheduleState>> schedules = new HashMap<>();
  private final Map<String, JobRun> runs = new LinkedHashMap<>();
  private final Map<String, String> runByTask = new HashMap<>();
  private final Map<String, JobHistory> history = new HashMap<>();
  private SchedulerDriver driver;
  private String frameworkId = "";
  private boolean subscribed;

  public JobEngine(Store store, EventLoop loop, String defaultUser) {
    this.store = store;
    this.loop = loop;
    this.defaultUser = defaultUser;
  }

  public void setDriver(SchedulerDriver driver) {
    this.driver = driver;
  }

  private Instant now() {
    return loop.clock().instant();
  }

  // ---------------------------------------------------------------- recovery

  /** Reads the hard state; blocking reads, called before the loop owns anything. */
  public static Recovered load(Store store) {
    String fw = store.get(JobPaths.FRAMEWORK_ID).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    List<JobSpec> jobs = new ArrayList<>();
    Map<String, List<ScheduleState>> schedules = new HashMap<>();
    List<JobRun> runs = new ArrayList<>();
    Map<String, JobHistory> history = new HashMap<>();
    for (String id : store.children(JobPaths.JOBS)) {
      store.get(JobPaths.job(id)).ifPresent(b -> jobs.add(JobJson.parse(RunCodec.tree(b)).job()));
      for (String sid : store.children(JobPaths.schedules(id))) {
        store.get(JobPaths.schedule(id, sid)).ifPresent(b ->
            schedules.computeIfAbsent(id, k -> new ArrayList<>()).add(ScheduleState.fromBytes(b)));
      }
      for (String rid : store.children(JobPaths.runs(id))) {
        store.get(JobPaths.run(id, rid)).ifPresent(b -> runs.add(RunCodec.readRun(b)));
      }
      store.get(JobPaths.history(id)).ifPresent(b -> history.put(id, RunCodec.readHistory(b)));
    }
    return new Recovered(fw, jobs, schedules, runs, history);
  }

  /** What {@link #load} read. */
  public record Recovered(String frameworkId, List<JobSpec> jobs, Map<String, List<ScheduleState>> schedules,
      List<JobRun> runs, Map<String, JobHistory> history) {}

  /** Takes the recovered state and re-arms timers; missed occurrences follow the rule in the class comment. */
  public void recover(Recovered r) {
    loop.assertInLoop();
    frameworkId = r.frameworkId();
    r.jobs().forEach(j -> jobs.put(j.id(), j));
    r.schedules().forEach((jobId, list) -> list.forEach(s ->
        schedules.computeIfAbsent(jobId, k -> new TreeMap<>()).put(s.spec().id(), s)));
    r.runs().stream().sorted(Comparator.comparing(JobRun::createdAt)).forEach(this::track);
    history.putAll(r.history());
    for (JobRun run : List.copyOf(runs.values())) {
      if (run.status() == RunState.INITIAL) {
        armLaunchDeadline(run);
      }
    }
    schedules.forEach((jobId, byId) -> byId.keySet().forEach(sid -> arm(jobId, sid)));
    log.info("recovered {} jobs and {} live runs (framework id '{}')", jobs.size(), runs.size(), frameworkId);
  }

  public void close() {
    schedules.forEach((jobId, byId) -> byId.keySet().forEach(sid -> loop.cancel(scheduleTag(jobId, sid))));
    runs.keySet().forEach(id -> loop.cancel("launch-deadline:" + id));
  }

  // ---------------------------------------------------------------- queries

  public JobsView view() {
    loop.assertInLoop();
    Map<String, List<JobsView.Schedule>> sched = new HashMap<>();
    schedules.forEach((jobId, byId) -> sched.put(jobId, byId.values().stream()
        .map(s -> new JobsView.Schedule(s.spec(), nextOccurrence(s))).toList()));
    Map<String, List<JobRun>> byJob = new HashMap<>();
    for (JobRun run : runs.values()) {
      byJob.computeIfAbsent(run.jobId(), k -> new ArrayList<>()).add(run);
    }
    return new JobsView(jobs, sched, byJob, history);
  }

  private Instant nextOccurrence(ScheduleState s) {
    if (!s.spec().enabled()) {
      return null;
    }
    Instant from = s.lastScheduledAt().isAfter(now()) ? s.lastScheduledAt() : now();
    return s.spec().cron().next(from, s.spec().timezone());
  }

  // ---------------------------------------------------------------- job commands

  public CompletableFuture<JobSpec> createJob(JobSpec job, List<ScheduleSpec> withSchedules) {
    loop.assertInLoop();
    if (jobs.containsKey(job.id())) {
      return CompletableFuture.failedFuture(CommandException.conflict("Job with id '" + job.id() + "' already exists"));
    }
    jobs.put(job.id(), job);
    List<StoreOp> ops = new ArrayList<>();
    ops.add(StoreOp.put(JobPaths.job(job.id()), RunCodec.bytes(JobJson.render(job))));
    for (ScheduleSpec s : withSchedules) {
      ops.add(putSchedule(job.id(), new ScheduleState(s, now())));
    }
    return persist(ops).thenApply(v -> {
      withSchedules.forEach(s -> arm(job.id(), s.id()));
      return job;
    });
  }

  public CompletableFuture<JobSpec> updateJob(JobSpec job) {
    loop.assertInLoop();
    if (!jobs.containsKey(job.id())) {
      return CompletableFuture.failedFuture(notFound(job.id()));
    }
    jobs.put(job.id(), job);
    return persist(List.of(StoreOp.put(JobPaths.job(job.id()), RunCodec.bytes(JobJson.render(job)))))
        .thenApply(v -> job);
  }

  /** Deletes a job with its schedules and history; refused while runs are live unless they are stopped. */
  public CompletableFuture<JobSpec> deleteJob(String jobId, boolean stopCurrentJobRuns) {
    loop.assertInLoop();
    JobSpec job = jobs.get(jobId);
    if (job == null) {
      return CompletableFuture.failedFuture(notFound(jobId));
    }
    List<JobRun> live = runs.values().stream().filter(r -> r.jobId().equals(jobId)).toList();
    if (!live.isEmpty() && !stopCurrentJobRuns) {
      return CompletableFuture.failedFuture(CommandException.conflict("Job '" + jobId + "' has " + live.size()
          + " active run(s); stop them first or pass stopCurrentJobRuns=true"));
    }
    jobs.remove(jobId);
    Map<String, ScheduleState> gone = schedules.remove(jobId);
    if (gone != null) {
      gone.keySet().forEach(sid -> loop.cancel(scheduleTag(jobId, sid)));
    }
    history.remove(jobId);
    List<RunTask> toKill = new ArrayList<>();
    for (JobRun r : live) {
      untrack(r);
      if (r.liveTask() != null) {
        toKill.add(r.liveTask());
      }
    }
    List<StoreOp> ops = List.of(StoreOp.delete(JobPaths.job(jobId)), StoreOp.delete(JobPaths.schedules(jobId)),
        StoreOp.delete(JobPaths.runs(jobId)), StoreOp.delete(JobPaths.history(jobId)));
    return persist(ops).thenApply(v -> {
      toKill.forEach(t -> driver.kill(t.id(), t.agentId(), OptionalDouble.empty()));
      return job;
    });
  }

  // ---------------------------------------------------------------- schedule commands

  public CompletableFuture<ScheduleSpec> addSchedule(String jobId, ScheduleSpec s) {
    loop.assertInLoop();
    if (!jobs.containsKey(jobId)) {
      return CompletableFuture.failedFuture(notFound(jobId));
    }
    if (schedules.getOrDefault(jobId, Map.of()).containsKey(s.id())) {
      return CompletableFuture.failedFuture(CommandException.conflict(
          "Schedule '" + s.id() + "' of job '" + jobId + "' already exists"));
    }
    return writeSchedule(jobId, s);
  }

  public CompletableFuture<ScheduleSpec> replaceSchedule(String jobId, ScheduleSpec s) {
    loop.assertInLoop();
    if (!schedules.getOrDefault(jobId, Map.of()).containsKey(s.id())) {
      return CompletableFuture.failedFuture(CommandException.notFound(
          "Schedule '" + s.id() + "' of job '" + jobId + "' does not exist"));
    }
    return writeSchedule(jobId, s);
  }

  /** A new or changed schedule counts from now: occurrences before it are not made up. */
  private CompletableFuture<ScheduleSpec> writeSchedule(String jobId, ScheduleSpec s) {
    StoreOp op = putSchedule(jobId, new ScheduleState(s, now()));
    return persist(List.of(op)).thenApply(v -> {
      arm(jobId, s.id());
      return s;
    });
  }

  public CompletableFuture<ScheduleSpec> deleteSchedule(String jobId, String scheduleId) {
    loop.assertInLoop();
    Map<String, ScheduleState> byId = schedules.get(jobId);
    ScheduleState s = byId == null ? null : byId.remove(scheduleId);
    if (s == null) {
      return CompletableFuture.failedFuture(CommandException.notFound(
          "Schedule '" + scheduleId + "' of job '" + jobId + "' does not exist"));
    }
    loop.cancel(scheduleTag(jobId, scheduleId));
    return persist(List.of(StoreOp.delete(JobPaths.schedule(jobId, scheduleId)))).thenApply(v -> s.spec());
  }

  private StoreOp putSchedule(String jobId, ScheduleState s) {
    schedules.computeIfAbsent(jobId, k -> new TreeMap<>()).put(s.spec().id(), s);
    return StoreOp.put(JobPaths.schedule(jobId, s.spec().id()), s.toBytes());
  }

  private static String scheduleTag(String jobId, String sid) {
    return "schedule:" + jobId + "/" + sid;
  }

  /** Sets the timer for the schedule's next occurrence, or handles missed ones at once. */
  private void arm(String jobId, String sid) {
    String tag = scheduleTag(jobId, sid);
    loop.cancel(tag);
    ScheduleState s = schedules.getOrDefault(jobId, Map.of()).get(sid);
    if (s == null || !s.spec().enabled()) {
      return;
    }
    Instant now = now();
    ScheduleSpec spec = s.spec();
    Instant next = spec.cron().next(s.lastScheduledAt(), spec.timezone());
    if (next == null) {
      return;
    }
    if (!next.isAfter(now)) {
      // Missed: only the latest missed occurrence counts (fire() applies the starting deadline to it).
      Instant latest = next;
      for (Instant t = spec.cron().next(latest, spec.timezone()); t != null && !t.isAfter(now);
          t = spec.cron().next(t, spec.timezone())) {
        latest = t;
      }
      Instant occurrence = latest;
      loop.execute(() -> fire(jobId, sid, occurrence));
      return;
    }
    loop.schedule(tag, Duration.between(now, next), () -> fire(jobId, sid, next));
  }

  private void fire(String jobId, String sid, Instant occurrence) {
    ScheduleState s = schedules.getOrDefault(jobId, Map.of()).get(sid);
    JobSpec job = jobs.get(jobId);
    if (s == null || job == null || !s.spec().enabled() || !occurrence.isAfter(s.lastScheduledAt())) {
      return;
    }
    Instant now = now();
    List<StoreOp> ops = new ArrayList<>();
    ops.add(putSchedule(jobId, new ScheduleState(s.spec(), occurrence)));
    JobRun run = null;
    if (Duration.between(occurrence, now).getSeconds() > s.spec().startingDeadlineSeconds()) {
      log.warn("job {} schedule {}: skipping the occurrence at {}, past its starting deadline", jobId, sid,
          occurrence);
    } else if (s.spec().forbidsConcurrency() && runs.values().stream().anyMatch(r -> r.jobId().equals(jobId))) {
      log.info("job {} schedule {}: skipping the occurrence at {}, a run is still active (FORBID)", jobId, sid,
          occurrence);
    } else {
      run = newRun(jobId);
      ops.add(StoreOp.put(JobPaths.run(jobId, run.id()), RunCodec.storeRun(run)));
    }
    JobRun started = run;
    persist(ops).thenRun(() -> {
      if (started != null) {
        waiting(started);
      }
    });
    arm(jobId, sid);
  }

  // ---------------------------------------------------------------- run commands

  /** POST /v1/jobs/{id}/runs: a run now, whatever the schedules say. */
  public CompletableFuture<JobRun> startRun(String jobId) {
    loop.assertInLoop();
    if (!jobs.containsKey(jobId)) {
      return CompletableFuture.failedFuture(notFound(jobId));
    }
    JobRun run = newRun(jobId);
    return persist(List.of(StoreOp.put(JobPaths.run(jobId, run.id()), RunCodec.storeRun(run)))).thenApply(v -> {
      waiting(run);
      return run;
    });
  }

  /** Stops a run: one still waiting fails at once; one with a task fails once the task is killed. */
  public CompletableFuture<JobRun> stopRun(String jobId, String runId) {
    loop.assertInLoop();
    JobRun run = runs.get(runId);
    if (run == null || !run.jobId().equals(jobId)) {
      return CompletableFuture.failedFuture(CommandException.notFound(
          "Run '" + runId + "' of job '" + jobId + "' does not exist or has finished"));
    }
    if (run.liveTask() == null) {
      JobRun failed = run.asStopping().moveTo(RunState.FAILED, now());
      List<StoreOp> ops = new ArrayList<>();
      finish(failed, ops);
      return persist(ops).thenApply(v -> failed);
    }
    JobRun stopping = run.asStopping();
    track(stopping);
    return persist(List.of(StoreOp.put(JobPaths.run(jobId, runId), RunCodec.storeRun(stopping)))).thenApply(v -> {
      killUntilGone(stopping.liveTask());
      return stopping;
    });
  }

  private void killUntilGone(RunTask task) {
    driver.kill(task.id(), task.agentId(), OptionalDouble.empty());
    loop.schedule("kill:" + task.id(), KILL_RETRY, () -> {
      String runId = runByTask.get(task.id());
      JobRun run = runId == null ? null : runs.get(runId);
      if (run != null && run.liveTask() != null && run.liveTask().id().equals(task.id())) {
        killUntilGone(task);
      }
    });
  }

  private JobRun newRun(String jobId) {
    String id;
    do {
      StringBuilder b = new StringBuilder(RUN_ID_TIME.format(now()));
      for (int i = 0; i < 5; i++) {
        b.append(ALNUM.charAt(ThreadLocalRandom.current().nextInt(ALNUM.length())));
      }
      id = b.toString();
    } while (runs.containsKey(id));
    JobRun run = JobRun.created(id, jobId, now());
    track(run);
    return run;
  }

  /** A run (new or retried) waits for an offer: ask for offers and start its launch deadline. */
  private void waiting(JobRun run) {
    armLaunchDeadline(run);
    if (subscribed) {
      driver.revive();
    }
  }

  private void armLaunchDeadline(JobRun run) {
    JobSpec job = jobs.get(run.jobId());
    Instant deadline = run.waitingSince().plusSeconds(job.run().maxLaunchDelay());
    Duration delay = Duration.between(now(), deadline);
    loop.schedule("launch-deadline:" + run.id(), delay.isNegative() ? Duration.ZERO : delay, () -> {
      JobRun r = runs.get(run.id());
      if (r != null && r.status() == RunState.INITIAL && !now().isBefore(deadline)) {
        log.warn("run {} of job {} found no resources within maxLaunchDelay; it failed", r.id(), r.jobId());
        List<StoreOp> ops = new ArrayList<>();
        finish(r.moveTo(RunState.FAILED, now()), ops);
        persist(ops);
      }
    });
  }

  private void track(JobRun run) {
    runs.put(run.id(), run);
    run.tasks().forEach(t -> runByTask.put(t.id(), run.id()));
  }

  private void untrack(JobRun run) {
    runs.remove(run.id());
    run.tasks().forEach(t -> runByTask.remove(t.id()));
    loop.cancel("launch-deadline:" + run.id());
  }

  /** A final run leaves the live set for the history, in one commit. */
  private void finish(JobRun run, List<StoreOp> ops) {
    untrack(run);
    JobHistory h = history.getOrDefault(run.jobId(), JobHistory.EMPTY).with(run);
    history.put(run.jobId(), h);
    ops.add(StoreOp.delete(JobPaths.run(run.jobId(), run.id())));
    ops.add(StoreOp.put(JobPaths.history(run.jobId()), RunCodec.storeHistory(h)));
    log.info("run {} of job {} ended {}", run.id(), run.jobId(), run.status());
  }

  // ---------------------------------------------------------------- driver events

  @Override
  public void subscribed(String id) {
    loop.assertInLoop();
    if (id.equals(frameworkId)) {
      afterSubscribed();
      return;
    }
    frameworkId = id;
    // Durable before any launch under it, or a restart would orphan the tasks.
    persist(List.of(StoreOp.put(JobPaths.FRAMEWORK_ID, id.getBytes(StandardCharsets.UTF_8))))
        .thenRun(this::afterSubscribed);
  }

  private void afterSubscribed() {
    subscribed = true;
    log.info("subscribed as framework {}", frameworkId);
    List<ReconcileTask> live = new ArrayList<>();
    for (JobRun run : runs.values()) {
      RunTask t = run.liveTask();
      if (t != null) {
        live.add(ReconcileTask.newBuilder().setTaskId(t.id()).setAgentId(t.agentId()).build());
        if (run.stopping()) {
          killUntilGone(t);
        }
      }
    }
    if (!live.isEmpty()) {
      driver.reconcile(live);
    }
    if (hasWaiting()) {
      driver.revive();
    } else {
      driver.suppress();
    }
  }

  @Override
  public void disconnected(String reason) {
    log.warn("lost the subscription: {}", reason);
    subscribed = false;
  }

  private boolean hasWaiting() {
    return runs.values().stream().anyMatch(r -> r.status() == RunState.INITIAL && !r.stopping());
  }

  /** Places waiting runs, oldest first, on the offers; declines what is left. */
  @Override
  public void offers(List<Offer> offers) {
    loop.assertInLoop();
    List<JobRun> waiting = runs.values().stream().filter(r -> r.status() == RunState.INITIAL && !r.stopping())
        .sorted(Comparator.comparing(JobRun::createdAt)).toList();
    List<JobRun> placed = new ArrayList<>();
    for (Offer offer : offers) {
      TaskBuilder builder = new TaskBuilder(offer);
      List<TaskInfo> tasks = new ArrayList<>();
      List<JobRun> launched = new ArrayList<>();
      for (JobRun run : waiting) {
        if (placed.contains(run)) {
          continue;
        }
        String taskId = run.jobId() + "_" + run.id() + "." + (run.tasks().size() + 1);
        TaskInfo task = builder.take(jobs.get(run.jobId()), taskId, run.id(), frameworkId, defaultUser);
        if (task != null) {
          tasks.add(task);
          placed.add(run);
          JobRun starting = run.moveTo(RunState.STARTING, now())
              .withTask(new RunTask(taskId, offer.getAgentId(), TaskState.TASK_STAGING.name(), now(), null));
          track(starting);
          loop.cancel("launch-deadline:" + run.id());
          launched.add(starting);
        }
      }
      if (tasks.isEmpty()) {
        boolean more = placed.size() < waiting.size();
        driver.decline(List.of(offer.getOfferId()), more ? REFUSE_SHORT_SECONDS : REFUSE_LONG_SECONDS);
        continue;
      }
      List<StoreOp> ops = launched.stream()
          .map(r -> (StoreOp) StoreOp.put(JobPaths.run(r.jobId(), r.id()), RunCodec.storeRun(r))).toList();
      persist(ops).thenRun(() -> driver.launch(List.of(offer.getOfferId()), tasks, REFUSE_SHORT_SECONDS)
          .whenComplete((v, err) -> {
            if (err != null) {
              loop.execute(() -> launchFailed(tasks, err));
            }
          }));
    }
    if (placed.size() == waiting.size() && !waiting.isEmpty() || waiting.isEmpty()) {
      driver.suppress();
    }
  }

  private void launchFailed(List<TaskInfo> tasks, Throwable err) {
    log.warn("launch of {} task(s) failed: {}", tasks.size(), err.toString());
    for (TaskInfo t : tasks) {
      update(TaskStatus.newBuilder().setTaskId(t.getTaskId()).setAgentId(t.getAgentId())
          .setState(TaskState.TASK_DROPPED).setMessage("launch failed: " + err.getMessage()).build(), false);
    }
  }

  @Override
  public void rescinded(String offerId) {
    log.debug("offer {} rescinded", offerId);
  }

  /** A task status: apply it to its run, persist, and only then acknowledge. */
  /** An agent's failure: its tasks' statuses (LOST, UNREACHABLE) tell the runs what happened. */
  @Override
  public void failure(String agentId, String message) {}

  @Override
  public void update(TaskStatus status) {
    update(status, true);
  }

  private void update(TaskStatus status, boolean acknowledge) {
    loop.assertInLoop();
    TaskState state = status.getState();
    boolean terminal = TaskLifecycle.isTerminal(state);
    String runId = runByTask.get(status.getTaskId());
    JobRun run = runId == null ? null : runs.get(runId);
    RunTask task = run == null ? null : run.liveTask();
    if (task == null || !task.id().equals(status.getTaskId())) {
      if (run == null && !terminal) {
        log.info("killing task {}: it belongs to no live run", status.getTaskId());
        driver.kill(status.getTaskId(), status.getAgentId(), OptionalDouble.empty());
      }
      if (acknowledge) {
        driver.acknowledge(status);
      }
      return;
    }
    Instant now = now();
    RunTask updated = task.withStatus(state.name(), terminal ? now : null);
    JobRun next = run.withTask(updated);
    List<StoreOp> ops = new ArrayList<>();
    boolean retry = false;
    if (!terminal) {
      if (state == TaskState.TASK_RUNNING && run.status() == RunState.STARTING) {
        next = next.moveTo(RunState.ACTIVE, now);
      }
    } else if (state == TaskState.TASK_FINISHED && !run.stopping()) {
      next = next.moveTo(RunState.SUCCESS, now);
    } else if (!run.stopping() && mayRetry(run, now)) {
      next = next.moveTo(RunState.INITIAL, now);
      retry = true;
      log.info("run {} of job {}: task {} ended {}; relaunching (ON_FAILURE)", run.id(), run.jobId(), task.id(),
          state);
    } else {
      next = next.moveTo(RunState.FAILED, now);
    }
    if (next.status().isFinal()) {
      finish(next, ops);
    } else {
      track(next);
      ops.add(StoreOp.put(JobPaths.run(next.jobId(), next.id()), RunCodec.storeRun(next)));
    }
    JobRun after = next;
    boolean relaunch = retry;
    persist(ops).thenRun(() -> {
      if (relaunch) {
        waiting(after);
      }
      if (acknowledge) {
        driver.acknowledge(status);
      }
    });
  }

  private boolean mayRetry(JobRun run, Instant now) {
    var restart = jobs.get(run.jobId()).run().restart();
    if (!restart.onFailure()) {
      return false;
    }
    Integer deadline = restart.activeDeadlineSeconds();
    return deadline == null || now.isBefore(run.createdAt().plusSeconds(deadline));
  }

  // ---------------------------------------------------------------- plumbing

  /** Commits; the returned future completes on the loop once the store has the change. */
  private CompletableFuture<Void> persist(List<StoreOp> ops) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    store.commit(ops).whenComplete((v, err) -> loop.execute(() -> {
      if (err != null) {
        log.error("store commit failed; this scheduler is now ahead of the store", err);
        done.completeExceptionally(err);
      } else {
        done.complete(null);
      }
    }));
    return done;
  }

  private static CommandException notFound(String jobId) {
    return CommandException.notFound("Job '" + jobId + "' does not exist");
  }
}
