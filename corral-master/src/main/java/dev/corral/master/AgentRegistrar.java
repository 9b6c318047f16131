package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentRegistered;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration and re-registration of agents.
 *
 * <p>Persist before acknowledge: a new agent, or one whose info changed, is written to the store and only
 * then answered with {@code AgentRegistered}; an unchanged re-registration is answered at once. Until the
 * write completes the agent is REGISTERING and not offered. A newer stream of the same agent replaces the
 * older one (closed with ABORTED); a store completion that belongs to a replaced attempt is ignored.
 *
 * <p>On completion the agent's report rebuilds its part of the task table: reported tasks take their
 * latest state and count as used; each owning framework gets that state as an update without uuid (no ack
 * expected); tasks the master believed were there but were not reported become TASK_GONE.
 * Loop thread only.
 */
final class AgentRegistrar {
  private static final Logger log = LoggerFactory.getLogger(AgentRegistrar.class);

  private final MasterState state;
  private final GroupCommit commits;
  private final OfferBook offers;
  private final Allocator allocator;
  private final AgentLiveness liveness;
  private final Reconciliations reconciliations;
  private final Maintenance maintenance;

  AgentRegistrar(MasterState state, GroupCommit commits, OfferBook offers, Allocator allocator,
      AgentLiveness liveness, Reconciliations reconciliations, Maintenance maintenance) {
    this.maintenance = maintenance;
    this.state = state;
    this.commits = commits;
    this.offers = offers;
    this.allocator = allocator;
    this.liveness = liveness;
    this.reconciliations = reconciliations;
  }

  /**
   * A {@code register} message on {@code link}. {@code boundId} is the agent the stream already registered
   * as (a repeated register on the same stream re-registers that agent), or null.
   */
  void register(Link<MasterMessage> link, RegisterAgent message, String boundId) {
    AgentInfo reported = message.getInfo();
    try {
      ResourceSet.fromProto(reported.getResourcesList());
    } catch (IllegalArgumentException e) {
      throw new RegistrationRejected("invalid resources: " + e.getMessage());
    }
    String id = boundId != null ? boundId : reported.getAgentId();
    // A write of an attempt this one supersedes may still land; this attempt's write must land after it.
    boolean writeInFlight = true;
    Agent agent;
    if (id.isEmpty()) {
      id = state.newAgentId();
      agent = admitNew(id, reported);
    } else if (!state.agents.containsKey(id)) {
      // Unknown id (e.g. the store was wiped): admit it under that id, persisting first.
      agent = admitNew(id, reported);
    } else {
      agent = state.agents.get(id);
      String problem = ConfigChange.problem(agent, reported.toBuilder().setAgentId(id).build(), message.getTasksList());
      if (problem != null) {
        log.warn(problem);
        throw new RegistrationRejected(problem);
      }
      writeInFlight = agent.state == AgentState.REGISTERING;
      takeOver(agent, link);
    }
    agent.link = link;
    state.agentLinks.put(link, id);
    long generation = ++agent.generation;
    AgentInfo info = reported.toBuilder()
        .setAgentId(id)
        .setRegisteredAtMillis(agent.admitted ? agent.info.getRegisteredAtMillis() : state.now().toEpochMilli())
        .build();
    List<AgentTask> tasks = message.getTasksList();
    String agentId = id;
    if (agent.admitted && agent.info.equals(info) && !writeInFlight) {
      registered(agentId, generation, info, tasks, null);
    } else {
      commits.persist(Registry.putAgent(info), error -> registered(agentId, generation, info, tasks, error));
    }
  }

  private Agent admitNew(String id, AgentInfo reported) {
    Agent agent = new Agent(id, AgentState.REGISTERING, reported);
    state.agents.put(id, agent);
    return agent;
  }

  /** A new stream of a known agent: the older stream goes, and so do offers of its old resources. */
  private void takeOver(Agent agent, Link<MasterMessage> link) {
    if (agent.link != null && agent.link != link) {
      state.agentLinks.remove(agent.link);
      agent.link.close(Status.ABORTED.withDescription("replaced by a newer connection of agent " + agent.id));
    }
    if (agent.state == AgentState.REGISTERING) {
      return; // the newer attempt supersedes the pending one (its generation is bumped)
    }
    if (agent.state == AgentState.CONNECTED) {
      liveness.stopWatching(agent);
      offers.rescindAll(agent);
    }
    agent.stateBeforeRegistering = agent.state;
    agent.moveTo(AgentState.REGISTERING);
  }

  private void registered(String id, long generation, AgentInfo info, List<AgentTask> tasks, Throwable error) {
    Agent agent = state.agents.get(id);
    if (agent == null || agent.generation != generation) {
      return; // a newer registration of this agent took over
    }
    if (error != null) {
      failed(agent, error);
      return;
    }
    agent.admitted = true;
    agent.info = info;
    state.setAgentTotal(agent, state.reservations.apply(id, ResourceSet.fromProto(info.getResourcesList())));
    rebuildTasks(agent, tasks);
    agent.moveTo(AgentState.CONNECTED);
    // Gone for longer than the re-register timeout: its work was given up (and replaced) long ago.
    boolean expired = agent.goneSince != null
        && !state.now().isBefore(agent.goneSince.plus(state.config.agentReregisterTimeout()));
    agent.goneSince = null;
    log.info("agent {} ({}) registered with {} tasks: {}", id, info.getHostname(), tasks.size(), agent.total);
    if (agent.link == null) {
      // The stream ended while the registration was being persisted.
      liveness.disconnect(agent, "stream ended during registration");
      return;
    }
    agent.link.send(MasterMessage.newBuilder().setRegistered(AgentRegistered.newBuilder()
        .setAgentId(id)
        .setHeartbeatIntervalSeconds(state.config.agentHeartbeatInterval().toMillis() / 1000.0)
        .setMasterId(state.config.masterId())).build());
    // the agent deletes the data of volumes not listed: destroyed while it was away
    agent.link.send(PersistentVolumes.message(state.reservations.volumesOf(id)));
    liveness.watch(agent);
    reconciliations.agentSettled(agent);
    if (expired) {
      log.info("agent {} was gone for longer than {}; killing the {} tasks it came back with", id,
          state.config.agentReregisterTimeout(), maintenance.killLiveTasks(agent));
    } else if (agent.mode == MaintenanceMode.DRAINING && agent.drainDeadlineMillis > 0
        && state.now().toEpochMilli() >= agent.drainDeadlineMillis) {
      log.info("agent {} came back after its drain deadline; killing its {} tasks", id,
          maintenance.killLiveTasks(agent));
    }
    maintenance.checkDrained(agent);
    allocator.agentChanged(id);
  }

  private void failed(Agent agent, Throwable error) {
    String reason = "could not persist the registration of agent " + agent.id + ": " + error.getMessage();
    log.warn(reason);
    if (agent.link != null) {
      state.agentLinks.remove(agent.link);
      agent.link.close(Status.UNAVAILABLE.withDescription(reason));
      agent.link = null;
    }
    if (!agent.admitted) {
      agent.moveTo(AgentState.REMOVED);
      state.agents.remove(agent.id);
      return;
    }
    AgentState before = agent.stateBeforeRegistering;
    if (before == AgentState.RECOVERED || before == AgentState.UNREACHABLE) {
      agent.moveTo(state.reregisterDeadlinePassed ? AgentState.UNREACHABLE : AgentState.RECOVERED);
    } else {
      agent.moveTo(AgentState.DISCONNECTED);
      if (agent.goneSince == null) {
        agent.goneSince = state.now();
      }
      liveness.markTasksUnreachable(agent, reason);
    }
    reconciliations.agentSettled(agent);
  }

  /** Replaces the agent's part of the task table with what it reported. */
  private void rebuildTasks(Agent agent, List<AgentTask> reported) {
    Set<TaskKey> seen = new HashSet<>();
    for (AgentTask reportedTask : reported) {
      TaskInfo info = reportedTask.getTask();
      TaskStatus latest = reportedTask.getLatestStatus();
      String frameworkId = firstNonEmpty(info.getFrameworkId(), latest.getFrameworkId(),
          reportedTask.getFramework().getFrameworkId());
      String taskId = info.getTaskId().isEmpty() ? latest.getTaskId() : info.getTaskId();
      if (frameworkId.isEmpty() || taskId.isEmpty()) {
        log.warn("agent {} reported a task without task or framework id; ignoring it", agent.id);
        continue;
      }
      TaskKey key = new TaskKey(frameworkId, taskId);
      seen.add(key);
      state.frameworkFor(frameworkId, reportedTask.getFramework());
      TaskStatus status = latest.toBuilder().setTaskId(taskId).setFrameworkId(frameworkId).setAgentId(agent.id)
          .setState(latest.getState() == TaskState.TASK_STATE_UNSPECIFIED ? TaskState.TASK_STAGING : latest.getState())
          .build();
      Task known = state.tasks.get(key);
      if (known != null && known.agentId.equals(agent.id)) {
        known.latest = status;
        if (TaskLifecycle.isTerminal(status.getState())) {
          state.releaseResources(known);
        }
      } else {
        if (known != null) {
          state.removeTask(known); // it was believed to be on another agent; this report is fresher
        }
        TaskInfo placed = info.toBuilder().setTaskId(taskId).setFrameworkId(frameworkId).setAgentId(agent.id).build();
        state.addTask(new Task(key, placed, agent.id, resourcesOf(agent, placed), status));
      }
      // Reconciliation-style: the scheduler learns the truth, but there is nothing to acknowledge. When the
      // scheduler asked about this task meanwhile (it reconciles when it subscribes to a new leader), this
      // update is the answer, so the task is not sent twice: 100,000 updates after a failover, not 200,000.
      state.sendUpdate(frameworkId, reconciliations.answeredByReport(agent, key)
          ? MasterState.reconciliationAnswer(status) : status.toBuilder().clearUuid().build());
    }
    for (TaskKey key : new ArrayList<>(agent.tasks)) {
      if (seen.contains(key)) {
        continue;
      }
      Task task = state.tasks.get(key);
      state.removeTask(task);
      state.sendUpdate(key.frameworkId(), state.masterStatus(key, agent.id, TaskState.TASK_GONE,
          StatusReason.REASON_RECONCILIATION, "task unknown to agent " + agent.id + " after re-registration"));
    }
  }

  private static ResourceSet resourcesOf(Agent agent, TaskInfo task) {
    try {
      return ResourceSet.fromProto(task.getResourcesList());
    } catch (IllegalArgumentException e) {
      log.warn("agent {} reported task {} with invalid resources ({}); counting none", agent.id, task.getTaskId(),
          e.getMessage());
      return ResourceSet.EMPTY;
    }
  }

  /** A registration the master refuses outright; the stream is answered with AgentRejected and closed. */
  static final class RegistrationRejected extends RuntimeException {
    RegistrationRejected(String message) {
      super(message);
    }
  }

  private static String firstNonEmpty(String... values) {
    for (String v : values) {
      if (!v.isEmpty()) {
        return v;
      }
    }
    return "";
  }
}
