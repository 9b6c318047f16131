package dev.corral.master;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.api.v1.Update;
import dev.corral.common.EventLoop;
import dev.corral.common.Ids;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the master knows, owned by its event loop (every method runs on it), plus the bookkeeping
 * that must stay consistent across features: the task table with its per-agent and per-framework indexes,
 * the resources tasks hold, and the cluster total DRF divides by.
 *
 * <p><b>Hard state</b> (in the store, see {@link Registry}): admitted agents and frameworks.
 * <b>Soft state</b> (memory only, rebuilt after a restart): connections and heartbeats, offers and
 * filters, and the task table, which agents rebuild when they re-register with their tasks.
 */
final class MasterState {
  final MasterConfig config;
  final EventLoop loop;
  /** Unique per master run, so ids minted by a restarted master never collide with earlier ones. */
  private final String runId;

  final Map<String, Agent> agents = new LinkedHashMap<>();
  final Map<String, Framework> frameworks = new LinkedHashMap<>();
  final Map<TaskKey, Task> tasks = new HashMap<>();
  /** Task id → key, for look-ups by id alone (the gateway's logs and files); the last added wins. */
  final Map<String, TaskKey> taskIds = new HashMap<>();
  /** Tasks removed from the table, newest last, so their sandboxes stay findable for a while. */
  final Map<String, Task> removedTasks = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Task> eldest) {
      return size() > REMEMBERED_REMOVED_TASKS;
    }
  };
  static final int REMEMBERED_REMOVED_TASKS = 1000;
  final OfferTable offers;
  /** Role weights and quota (hard state, see {@link Roles}). */
  final Roles roles = new Roles();
  /** Dynamic reservations (hard state, see {@link Reservations}). */
  final Reservations reservations = new Reservations();
  /** Which agent each registered agent stream belongs to. */
  final Map<Link<MasterMessage>, String> agentLinks = new IdentityHashMap<>();
  /** Which framework each subscription stream belongs to. */
  final Map<Link<SchedulerEvent>, String> frameworkLinks = new IdentityHashMap<>();

  /** The sum of the resources of agents registered with this master run (connected or not). */
  private Scalars clusterTotal = Scalars.ZERO;
  private long agentSeq;
  private long frameworkSeq;
  private long offerSeq;
  /** Set once agentReregisterTimeout has passed since start. */
  boolean reregisterDeadlinePassed;
  boolean closed;

  MasterState(MasterConfig config, EventLoop loop) {
    this.config = config;
    this.loop = loop;
    this.runId = Ids.uuid();
    this.offers = new OfferTable(runId);
  }

  Instant now() {
    return loop.clock().instant();
  }

  /** Mesos' scheme: the master run's id, then a sequence ("…-S3"). */
  String newAgentId() {
    return runId + "-S" + agentSeq++;
  }

  String newFrameworkId() {
    return runId + "-" + String.format("%04d", frameworkSeq++);
  }

  long newOfferSeq() {
    return offerSeq++;
  }

  Scalars clusterTotal() {
    return clusterTotal;
  }

  /** Replaces what the agent contributes to the cluster total. */
  void setAgentTotal(Agent agent, dev.corral.api.ResourceSet total) {
    clusterTotal = clusterTotal.minus(agent.counted);
    agent.total = total;
    agent.counted = Scalars.of(total);
    clusterTotal = clusterTotal.plus(agent.counted);
  }

  /** The framework entry for an id, created (RECOVERED, not admitted) when only an agent knows it. */
  Framework frameworkFor(String id, FrameworkInfo reported) {
    return frameworks.computeIfAbsent(id, k ->
        new Framework(k, FrameworkState.RECOVERED, reported.toBuilder().setFrameworkId(k).build()));
  }

  // ---- the task table ----

  /** Adds a row; a live task starts holding its resources on its agent and against its framework. */
  void addTask(Task task) {
    tasks.put(task.key, task);
    taskIds.put(task.key.taskId(), task.key);
    Agent agent = agents.get(task.agentId);
    agent.tasks.add(task.key);
    frameworks.get(task.key.frameworkId()).tasks.add(task.key.taskId());
    if (!TaskLifecycle.isTerminal(task.latest.getState())) {
      agent.used = agent.used.plus(task.resources);
      frameworks.get(task.key.frameworkId()).allocated =
          frameworks.get(task.key.frameworkId()).allocated.plus(task.scalars);
      task.holdsResources = true;
    }
  }

  /** Frees a task's resources (on a terminal status); returns whether anything was freed. */
  boolean releaseResources(Task task) {
    if (!task.holdsResources) {
      return false;
    }
    task.holdsResources = false;
    Agent agent = agents.get(task.agentId);
    if (agent != null) {
      agent.used = Resources.clampedMinus(agent.used, task.resources);
    }
    Framework framework = frameworks.get(task.key.frameworkId());
    if (framework != null) {
      framework.allocated = framework.allocated.minus(task.scalars);
    }
    return true;
  }

  void removeTask(Task task) {
    releaseResources(task);
    tasks.remove(task.key);
    taskIds.remove(task.key.taskId(), task.key);
    removedTasks.put(task.key.taskId(), task);
    Agent agent = agents.get(task.agentId);
    if (agent != null) {
      agent.tasks.remove(task.key);
    }
    Framework framework = frameworks.get(task.key.frameworkId());
    if (framework != null) {
      framework.tasks.remove(task.key.taskId());
    }
  }

  /** Looks a task up by id among one agent's tasks (status updates that omit the framework id). */
  Task findOnAgent(Agent agent, String taskId) {
    for (TaskKey key : agent.tasks) {
      if (key.taskId().equals(taskId)) {
        return tasks.get(key);
      }
    }
    return null;
  }

  // ---- messages ----

  /** Sends an Update to the framework if it is subscribed; returns whether it was sent. */
  boolean sendUpdate(String frameworkId, TaskStatus status) {
    Framework framework = frameworks.get(frameworkId);
    if (framework == null || !framework.isConnected()) {
      return false;
    }
    framework.send(SchedulerEvent.newBuilder().setUpdate(Update.newBuilder().setStatus(status)).build());
    return true;
  }

  /** A status the master itself decides (no uuid: nothing to acknowledge). */
  TaskStatus masterStatus(TaskKey key, String agentId, TaskState state, StatusReason reason, String message) {
    return TaskStatus.newBuilder()
        .setTaskId(key.taskId())
        .setFrameworkId(key.frameworkId())
        .setAgentId(agentId == null ? "" : agentId)
        .setState(state)
        .setReason(reason)
        .setSource(StatusSource.SOURCE_MASTER)
        .setMessage(message)
        .setTimestampMillis(now().toEpochMilli())
        .build();
  }

  /** A reconciliation answer from a known status: the same state, no uuid, reason RECONCILIATION. */
  static TaskStatus reconciliationAnswer(TaskStatus latest) {
    return latest.toBuilder().clearUuid().setReason(StatusReason.REASON_RECONCILIATION).build();
  }
}
