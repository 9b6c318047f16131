package dev.corral.master;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.Failure;
import dev.corral.api.v1.MasterHeartbeat;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats and the loss of agents. Any message from an agent counts as a sign of life (it only stamps
 * {@link Agent#lastSeen}; no timer is touched per message). Each connected agent has one timer that sends a
 * {@code MasterHeartbeat} and re-arms itself for the earlier of the next heartbeat and the agent's
 * deadline; at the deadline the agent is disconnected. Loop thread only.
 */
final class AgentLiveness {
  private static final Logger log = LoggerFactory.getLogger(AgentLiveness.class);

  private final MasterState state;
  private final OfferBook offers;
  private final Reconciliations reconciliations;

  AgentLiveness(MasterState state, OfferBook offers, Reconciliations reconciliations) {
    this.state = state;
    this.offers = offers;
    this.reconciliations = reconciliations;
  }

  private static String tag(String agentId) {
    return "agent-tick:" + agentId;
  }

  /** Starts watching a freshly connected agent. */
  void watch(Agent agent) {
    agent.lastSeen = state.now();
    schedule(agent, state.config.agentHeartbeatInterval());
  }

  void seen(Agent agent) {
    agent.lastSeen = state.now();
  }

  void stopWatching(Agent agent) {
    state.loop.cancel(tag(agent.id));
  }

  private void schedule(Agent agent, Duration delay) {
    String id = agent.id;
    state.loop.schedule(tag(id), delay, () -> tick(id));
  }

  private void tick(String agentId) {
    Agent agent = state.agents.get(agentId);
    if (state.closed || agent == null || !agent.state.isConnected()) {
      return;
    }
    Instant now = state.now();
    Instant deadline = agent.lastSeen.plus(state.config.agentHeartbeatTimeout());
    if (!now.isBefore(deadline)) {
      // This tick may run late, behind messages the loop has not handled yet (a busy leader: thousands of
      // agents re-registering) that arrived before the deadline; a check queued now runs after them.
      Instant lastSeen = agent.lastSeen;
      state.loop.execute(() -> confirmSilent(agentId, lastSeen));
      return;
    }
    heartbeat(agent, now, deadline);
  }

  /** The deadline passed at {@code seenThen}: disconnects the agent unless it was heard from meanwhile. */
  private void confirmSilent(String agentId, Instant seenThen) {
    Agent agent = state.agents.get(agentId);
    if (state.closed || agent == null || !agent.state.isConnected()) {
      return;
    }
    if (agent.lastSeen.equals(seenThen)) {
      disconnect(agent, "no message from agent " + agentId + " for " + state.config.agentHeartbeatTimeout());
      return;
    }
    Instant now = state.now();
    heartbeat(agent, now, agent.lastSeen.plus(state.config.agentHeartbeatTimeout()));
  }

  /** Sends a heartbeat and re-arms the tick for the earlier of the next heartbeat and the deadline. */
  private void heartbeat(Agent agent, Instant now, Instant deadline) {
    agent.link.send(MasterMessage.newBuilder()
        .setHeartbeat(MasterHeartbeat.newBuilder().setSentAtMillis(now.toEpochMilli())).build());
    Duration untilDeadline = Duration.between(now, deadline);
    Duration interval = state.config.agentHeartbeatInterval();
    schedule(agent, untilDeadline.compareTo(interval) < 0 ? untilDeadline : interval);
  }

  /**
   * CONNECTED → DISCONNECTED: closes its stream (if still open), rescinds its offers, and tells frameworks
   * its tasks are unreachable. Its resources stay in the cluster total; it simply is not offered.
   */
  void disconnect(Agent agent, String reason) {
    log.info("agent {} ({}) disconnected: {}", agent.id, agent.hostname(), reason);
    agent.moveTo(AgentState.DISCONNECTED);
    agent.goneSince = state.now();
    stopWatching(agent);
    if (agent.link != null) {
      state.agentLinks.remove(agent.link);
      agent.link.close(Status.UNAVAILABLE.withDescription(reason));
      agent.link = null;
    }
    offers.rescindAll(agent);
    markTasksUnreachable(agent, reason);
    reconciliations.agentSettled(agent);
  }

  /** Sends TASK_UNREACHABLE for each live task of the agent and one FAILURE to each framework concerned. */
  void markTasksUnreachable(Agent agent, String reason) {
    String message = "agent " + agent.id + " disconnected: " + reason;
    Set<String> concerned = new LinkedHashSet<>();
    for (TaskKey key : agent.tasks) {
      Task task = state.tasks.get(key);
      TaskState current = task.latest.getState();
      if (TaskLifecycle.isTerminal(current) || current == TaskState.TASK_UNREACHABLE) {
        continue;
      }
      TaskStatus status = state.masterStatus(key, agent.id, TaskState.TASK_UNREACHABLE,
          StatusReason.REASON_AGENT_DISCONNECTED, message);
      task.latest = status;
      state.sendUpdate(key.frameworkId(), status);
      concerned.add(key.frameworkId());
    }
    for (String frameworkId : concerned) {
      Framework framework = state.frameworks.get(frameworkId);
      framework.send(SchedulerEvent.newBuilder()
          .setFailure(Failure.newBuilder().setAgentId(agent.id).setMessage(message)).build());
    }
  }

  /** The re-register timeout after start: agents still not back are unreachable from now on. */
  void reregisterDeadline() {
    state.reregisterDeadlinePassed = true;
    for (Agent agent : state.agents.values()) {
      if (agent.state == AgentState.RECOVERED) {
        log.info("agent {} ({}) did not re-register within {}; marking it unreachable", agent.id,
            agent.hostname(), state.config.agentReregisterTimeout());
        agent.moveTo(AgentState.UNREACHABLE);
        // It has been gone at least since this master started, i.e. the re-register timeout.
        agent.goneSince = state.now().minus(state.config.agentReregisterTimeout());
        reconciliations.agentSettled(agent);
      }
    }
  }
}
