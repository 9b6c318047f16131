package dev.corral.scheduler;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link SchedulerDriver} that records every call, for tests. The scheduler it was created for is kept so
 * that tests can play the master's part ({@code scheduler().offers(…)}). Thread-safe.
 */
public final class FakeDriver implements SchedulerDriver {
  public record Launch(List<String> offerIds, List<TaskInfo> tasks, double refuseSeconds) {}
  public record Decline(List<String> offerIds, double refuseSeconds) {}
  public record Kill(String taskId, String agentId, OptionalDouble grace) {}

  private final List<Object> calls = new ArrayList<>();
  private final List<Launch> launches = new ArrayList<>();
  private final List<Decline> declines = new ArrayList<>();
  private final List<Kill> kills = new ArrayList<>();
  private final List<TaskStatus> acks = new ArrayList<>();
  private final List<List<ReconcileTask>> reconciles = new ArrayList<>();
  private int revives;
  private int suppresses;
  private boolean started;
  private boolean closed;
  private boolean rejectLaunches;
  private Consumer<TaskStatus> onAcknowledge = s -> { };
  private Consumer<List<TaskInfo>> onLaunch = t -> { };
  private Runnable onReconcile = () -> { };
  private volatile Scheduler scheduler;
  private volatile FrameworkInfo info;

  /** The factory to hand to a framework (the service scheduler, the job scheduler). */
  public SchedulerDriver create(FrameworkInfo frameworkInfo, Scheduler s) {
    this.info = frameworkInfo;
    this.scheduler = s;
    return this;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public FrameworkInfo info() {
    return info;
  }

  @Override
  public synchronized void start() {
    started = true;
  }

  @Override
  public synchronized CompletableFuture<Void> launch(Collection<String> offerIds, List<TaskInfo> tasks,
      double refuseSeconds) {
    onLaunch.accept(tasks);
    Launch l = new Launch(List.copyOf(offerIds), List.copyOf(tasks), refuseSeconds);
    launches.add(l);
    calls.add(l);
    return rejectLaunches ? CompletableFuture.failedFuture(new IllegalStateException("offer rescinded"))
        : CompletableFuture.completedFuture(null);
  }

  private final List<dev.corral.api.v1.TaskGroupInfo> groups = new ArrayList<>();

  /** Task groups go through {@link #launch(Collection, List, double)} for their tasks too, and are kept whole. */
  @Override
  public synchronized CompletableFuture<Void> launch(Collection<String> offerIds, List<TaskInfo> tasks,
      List<dev.corral.api.v1.TaskGroupInfo> taskGroups, double refuseSeconds) {
    List<TaskInfo> all = new ArrayList<>(tasks);
    taskGroups.forEach(g -> all.addAll(g.getTasksList()));
    groups.addAll(taskGroups);
    return launch(offerIds, all, refuseSeconds);
  }

  /** Every task group launched, in order. */
  public synchronized List<dev.corral.api.v1.TaskGroupInfo> launchedGroups() {
    return List.copyOf(groups);
  }

  private final List<List<dev.corral.api.v1.Operation>> accepts = new ArrayList<>();

  /**
   * Records the operations; the tasks of its LAUNCH and LAUNCH_GROUP operations count as launched, as with
   * {@link #launch}.
   * An ACCEPT without launches (DESTROY, UNRESERVE) always succeeds.
   */
  @Override
  public synchronized CompletableFuture<Void> accept(Collection<String> offerIds,
      List<dev.corral.api.v1.Operation> operations, double refuseSeconds) {
    accepts.add(List.copyOf(operations));
    List<TaskInfo> tasks = new ArrayList<>();
    for (dev.corral.api.v1.Operation op : operations) {
      if (op.hasLaunch()) {
        tasks.addAll(op.getLaunch().getTasksList());
      } else if (op.hasLaunchGroup()) {
        groups.add(op.getLaunchGroup().getTaskGroup());
        tasks.addAll(op.getLaunchGroup().getTaskGroup().getTasksList());
      }
    }
    if (tasks.isEmpty()) {
      calls.add(operations);
      return CompletableFuture.completedFuture(null);
    }
    return launch(offerIds, tasks, refuseSeconds);
  }

  /** The operations of every {@link #accept} call, in order. */
  public synchronized List<List<dev.corral.api.v1.Operation>> accepts() {
    return List.copyOf(accepts);
  }

  @Override
  public synchronized CompletableFuture<Void> decline(Collection<String> offerIds, double refuseSeconds) {
    Decline d = new Decline(List.copyOf(offerIds), refuseSeconds);
    declines.add(d);
    calls.add(d);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> revive() {
    revives++;
    calls.add("revive");
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> suppress() {
    suppresses++;
    calls.add("suppress");
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> kill(String taskId, String agentId, OptionalDouble gracePeriodSeconds) {
    Kill k = new Kill(taskId, agentId, gracePeriodSeconds);
    kills.add(k);
    calls.add(k);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> acknowledge(TaskStatus status) {
    onAcknowledge.accept(status);
    synchronized (this) {
      acks.add(status);
      calls.add(status);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> reconcile(List<ReconcileTask> tasks) {
    onReconcile.run();
    reconciles.add(List.copyOf(tasks));
    calls.add(tasks);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  public synchronized void rejectLaunches(boolean reject) {
    rejectLaunches = reject;
  }

  /** Runs before an acknowledge is recorded (e.g. to look at the store at that moment). */
  public synchronized void onAcknowledge(Consumer<TaskStatus> hook) {
    onAcknowledge = hook;
  }

  /** Runs before a launch is recorded. */
  public synchronized void onLaunch(Consumer<List<TaskInfo>> hook) {
    onLaunch = hook;
  }

  /** Runs before a reconcile is recorded. */
  public synchronized void onReconcile(Runnable hook) {
    onReconcile = hook;
  }

  public synchronized List<Launch> launches() {
    return List.copyOf(launches);
  }

  public synchronized List<TaskInfo> launchedTasks() {
    List<TaskInfo> out = new ArrayList<>();
    launches.forEach(l -> out.addAll(l.tasks()));
    return out;
  }

  public synchronized List<Decline> declines() {
    return List.copyOf(declines);
  }

  public synchronized List<Kill> kills() {
    return List.copyOf(kills);
  }

  public synchronized List<TaskStatus> acks() {
    return List.copyOf(acks);
  }

  public synchronized List<List<ReconcileTask>> reconciles() {
    return List.copyOf(reconciles);
  }

  public synchronized int revives() {
    return revives;
  }

  public synchronized int suppresses() {
    return suppresses;
  }

  public synchronized boolean started() {
    return started;
  }

  public synchronized boolean closed() {
    return closed;
  }

  public synchronized List<Object> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clear() {
    calls.clear();
    launches.clear();
    declines.clear();
    kills.clear();
    acks.clear();
    reconciles.clear();
    revives = 0;
    suppresses = 0;
  }
}
