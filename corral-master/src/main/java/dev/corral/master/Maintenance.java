package dev.corral.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.AgentDrain;
import dev.corral.api.v1.KillTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.Unavailability;
import dev.corral.common.Json;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' maintenance of agents: drain, deactivate, reactivate ({@link MaintenanceMode}), and the
 * Mesos-style schedule of maintenance windows with machine down/up.
 *
 * <p><b>Hard state</b>, written before the caller is answered and only then applied: each agent's mode not
 * ACTIVE at {@code /master/maintenance/agents/<id>} (JSON {@code {"mode", "deadline_millis"}}; ACTIVE deletes
 * the node) and the schedule at {@code /master/maintenance/schedule} (one small node). <b>Soft state</b>: the
 * drain deadline timers, re-armed from the store after a restart.
 *
 * <p>Effects of a mode: only ACTIVE agents are offered (others' offers are rescinded); DRAINING sends every
 * subscribed framework an {@code AgentDrain} (and each framework that subscribes later, see
 * {@link Subscriptions}), kills the agent's remaining tasks at the deadline, and ends DRAINED once no live task
 * is left. Offers of agents on a scheduled machine carry the window as their {@code unavailability}.
 * Loop thread only.
 */
final class Maintenance {
  static final String AGENTS = "/master/maintenance/agents";
  static final String SCHEDULE = "/master/maintenance/schedule";
  private static final Logger log = LoggerFactory.getLogger(Maintenance.class);

  private final MasterState state;
  private final GroupCommit commits;
  private final OfferBook offers;
  private final Allocator allocator;
  private List<MaintenanceWindow> schedule = List.of();

  Maintenance(MasterState state, GroupCommit commits, OfferBook offers, Allocator allocator) {
    this.state = state;
    this.commits = commits;
    this.offers = offers;
    this.allocator = allocator;
  }

  /** What the store holds; read off the loop at start-up. */
  record Stored(Map<String, ModeRecord> agents, List<MaintenanceWindow> schedule) {}

  /** One agent's persisted mode. */
  record ModeRecord(MaintenanceMode mode, long deadlineMillis) {}

  /** Blocking read; start-up only. Unreadable nodes are logged and skipped (the agent stays ACTIVE). */
  static Stored read(Store store) {
    Map<String, ModeRecord> agents = new HashMap<>();
    store.childrenWithData(AGENTS).forEach((child, bytes) -> {
      try {
        JsonNode node = Json.mapper().readTree(bytes);
        agents.put(StorePaths.unsegment(child), new ModeRecord(MaintenanceMode.valueOf(node.path("mode").asText()),
            node.path("deadline_millis").asLong()));
      } catch (IOException | IllegalArgumentException e) {
        log.warn("skipping unreadable maintenance node {}: {}", child, e.getMessage());
      }
    });
    List<MaintenanceWindow> windows = store.get(SCHEDULE).map(bytes -> {
      try {
        return MaintenanceJson.windows(Json.mapper().readTree(bytes), "");
      } catch (IOException | IllegalArgumentException e) {
        log.warn("ignoring the unreadable maintenance schedule: {}", e.getMessage());
        return List.<MaintenanceWindow>of();
      }
    }).orElse(List.of());
    return new Stored(agents, windows);
  }

  /** Applies what {@link #read} found to the agents loaded from the registry and re-arms drain deadlines. */
  void recover(Stored stored) {
    schedule = stored.schedule();
    stored.agents().forEach((id, record) -> {
      Agent agent = state.agents.get(id);
      if (agent == null) {
        return;
      }
      agent.mode = record.mode();
      agent.drainDeadlineMillis = record.deadlineMillis();
      if (agent.mode == MaintenanceMode.DRAINING) {
        armDeadline(agent);
      }
    });
  }

  // ---- agent modes ----

  void drain(String agentId, Duration grace, CompletableFuture<AgentEndpoint> result) {
    Agent agent = known(agentId);
    if (agent.mode == MaintenanceMode.DRAINING || agent.mode == MaintenanceMode.DRAINED) {
      result.complete(MasterViews.endpoint(state, agent)); // already draining: the first deadline stands
      return;
    }
    long deadline = grace == null ? 0 : state.now().plus(grace).toEpochMilli();
    change(agent, MaintenanceMode.DRAINING, deadline, result);
  }

  void deactivate(String agentId, CompletableFuture<AgentEndpoint> result) {
    Agent agent = known(agentId);
    if (agent.mode == MaintenanceMode.DEACTIVATED) {
      result.complete(MasterViews.endpoint(state, agent));
      return;
    }
    change(agent, MaintenanceMode.DEACTIVATED, 0, result);
  }

  void reactivate(String agentId, CompletableFuture<AgentEndpoint> result) {
    Agent agent = known(agentId);
    if (agent.mode == MaintenanceMode.ACTIVE) {
      result.complete(MasterViews.endpoint(state, agent));
      return;
    }
    change(agent, MaintenanceMode.ACTIVE, 0, result);
  }

  private Agent known(String agentId) {
    Agent agent = state.agents.get(agentId);
    if (agent == null || !agent.admitted) {
      throw new OperatorException(404, "agent '" + agentId + "' is unknown to the master (see corral node list)");
    }
    if (agent.modeWriteInFlight) {
      throw new OperatorException(409, "a maintenance change of agent " + agentId + " is being saved; try again");
    }
    return agent;
  }

  private void change(Agent agent, MaintenanceMode to, long deadlineMillis,
      CompletableFuture<AgentEndpoint> result) {
    if (!MaintenanceMode.TRANSITIONS.allowed(agent.mode, to)) {
      throw new OperatorException(409, "agent " + agent.id + " is " + agent.mode + "; it cannot become " + to
          + (agent.mode == MaintenanceMode.DRAINING ? " (reactivate it first)" : ""));
    }
    agent.modeWriteInFlight = true;
    String id = agent.id;
    commits.persist(modeOp(id, to, deadlineMillis), error -> {
      Agent now = state.agents.get(id);
      if (now == null) {
        result.completeExceptionally(new OperatorException(404, "agent '" + id + "' was removed"));
        return;
      }
      now.modeWriteInFlight = false;
      if (error != null) {
        result.completeExceptionally(new OperatorException(503, "could not persist the maintenance change of "
            + id + ": " + error.getMessage()));
        return;
      }
      apply(now, to, deadlineMillis);
      result.complete(MasterViews.endpoint(state, now));
    });
  }

  private static StoreOp modeOp(String agentId, MaintenanceMode mode, long deadlineMillis) {
    String path = StorePaths.join(AGENTS, StorePaths.segment(agentId));
    if (mode == MaintenanceMode.ACTIVE) {
      return StoreOp.delete(path);
    }
    ObjectNode node = Json.mapper().createObjectNode().put("mode", mode.name()).put("deadline_millis", deadlineMillis);
    return StoreOp.put(path, node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The persisted change takes effect: offers, drain notices, deadline timer. */
  private void apply(Agent agent, MaintenanceMode to, long deadlineMillis) {
    MaintenanceMode from = agent.mode;
    agent.mode = MaintenanceMode.TRANSITIONS.check(from, to);
    agent.drainDeadlineMillis = to == MaintenanceMode.DRAINING ? deadlineMillis : 0;
    log.info("agent {} ({}): {} -> {}", agent.id, agent.hostname(), from, to);
    state.loop.cancel(deadlineTag(agent.id));
    if (to.offered()) {
      allocator.agentChanged(agent.id);
    } else {
      offers.rescindAll(agent);
    }
    if (to == MaintenanceMode.DRAINING || from == MaintenanceMode.DRAINING) {
      SchedulerEvent notice = drainEvent(agent);
      for (Framework framework : state.frameworks.values()) {
        framework.send(notice);
      }
    }
    if (to == MaintenanceMode.DRAINING) {
      armDeadline(agent);
      checkDrained(agent);
    }
  }

  static SchedulerEvent drainEvent(Agent agent) {
    return SchedulerEvent.newBuilder().setDrain(AgentDrain.newBuilder()
        .setAgentId(agent.id)
        .setDraining(agent.mode == MaintenanceMode.DRAINING)
        .setDeadlineMillis(agent.drainDeadlineMillis)).build();
  }

  private static String deadlineTag(String agentId) {
    return "drain-deadline:" + agentId;
  }

  private void armDeadline(Agent agent) {
    if (agent.drainDeadlineMillis <= 0) {
      return;
    }
    Duration delay = Duration.between(state.now(), Instant.ofEpochMilli(agent.drainDeadlineMillis));
    String id = agent.id;
    state.loop.schedule(deadlineTag(id), delay.isNegative() ? Duration.ZERO : delay, () -> deadlinePassed(id));
  }

  /** The drain's grace is over: whatever still runs there is killed (the agent reports each kill). */
  private void deadlinePassed(String agentId) {
    Agent agent = state.agents.get(agentId);
    if (state.closed || agent == null || agent.mode != MaintenanceMode.DRAINING) {
      return;
    }
    if (agent.link == null) {
      log.info("drain deadline of agent {} passed while it is not connected; its tasks are killed when it returns",
          agentId);
      return;
    }
    int killed = killLiveTasks(agent);
    log.info("drain deadline of agent {} passed: killing its {} remaining tasks", agentId, killed);
  }

  /** Sends a kill for each live task of a connected agent; returns how many. */
  int killLiveTasks(Agent agent) {
    int killed = 0;
    for (TaskKey key : agent.tasks) {
      Task task = state.tasks.get(key);
      if (task != null && !TaskLifecycle.isTerminal(task.latest.getState())) {
        agent.link.send(MasterMessage.newBuilder().setKillTask(KillTask.newBuilder()
            .setTaskId(key.taskId()).setFrameworkId(key.frameworkId())).build());
        killed++;
      }
    }
    return killed;
  }

  /** A task of the agent ended, or the agent re-registered: a DRAINING agent with nothing left is DRAINED. */
  void checkDrained(Agent agent) {
    if (agent.mode != MaintenanceMode.DRAINING || agent.modeWriteInFlight || hasLiveTask(agent)) {
      return;
    }
    agent.modeWriteInFlight = true;
    String id = agent.id;
    commits.persist(modeOp(id, MaintenanceMode.DRAINED, 0), error -> {
      Agent now = state.agents.get(id);
      if (now == null) {
        return;
      }
      now.modeWriteInFlight = false;
      if (error != null) {
        log.warn("could not persist that agent {} is drained: {}", id, error.getMessage());
        return;
      }
      if (now.mode == MaintenanceMode.DRAINING && !hasLiveTask(now)) {
        apply(now, MaintenanceMode.DRAINED, 0);
      }
    });
  }

  private boolean hasLiveTask(Agent agent) {
    for (TaskKey key : agent.tasks) {
      Task task = state.tasks.get(key);
      if (task != null && !TaskLifecycle.isTerminal(task.latest.getState())) {
        return true;
      }
    }
    return false;
  }

  // ---- the schedule ----

  List<MaintenanceWindow> schedule() {
    return schedule;
  }

  void setSchedule(List<MaintenanceWindow> windows, CompletableFuture<List<MaintenanceWindow>> result) {
    List<MaintenanceWindow> copy = List.copyOf(windows);
    byte[] bytes = MaintenanceJson.render(copy).toString().getBytes(StandardCharsets.UTF_8);
    commits.persist(StoreOp.put(SCHEDULE, bytes), error -> {
      if (error != null) {
        result.completeExceptionally(new OperatorException(503, "could not persist the schedule: "
            + error.getMessage()));
        return;
      }
      schedule = copy;
      // Offers made before carry the old windows: take them back so that the next ones carry the new.
      for (Agent agent : state.agents.values()) {
        if (agent.hasOffers()) {
          offers.rescindAll(agent);
        }
        if (agent.state.isConnected()) {
          allocator.agentChanged(agent.id);
        }
      }
      result.complete(copy);
    });
  }

  /** The earliest window not yet over that covers the agent, as offers carry it; null when none. */
  Unavailability unavailability(Agent agent) {
    if (schedule.isEmpty()) { // asked for every offer of every pass
      return null;
    }
    long now = state.now().toEpochMilli();
    MaintenanceWindow best = null;
    String address = agent.info.getHttpAddress();
    for (MaintenanceWindow w : schedule) {
      if (!w.notOver(now) || (best != null && best.startMillis() <= w.startMillis())) {
        continue;
      }
      for (MachineId m : w.machines()) {
        if (m.matches(agent.hostname(), address)) {
          best = w;
          break;
        }
      }
    }
    if (best == null) {
      return null;
    }
    Unavailability.Builder u = Unavailability.newBuilder().setStartMillis(best.startMillis());
    best.durationMillis().ifPresent(u::setDurationMillis);
    return u.build();
  }

  /**
   * Machines go down (Mesos' {@code /master/machine/down}): their agents drain with no grace, so that their
   * tasks are killed now and they end DRAINED. Answers the agents affected.
   */
  void machinesDown(List<MachineId> machines, CompletableFuture<List<AgentEndpoint>> result) {
    List<Agent> agents = onMachines(machines);
    List<CompletableFuture<AgentEndpoint>> each = new ArrayList<>();
    for (Agent agent : agents) {
      CompletableFuture<AgentEndpoint> one = new CompletableFuture<>();
      each.add(one);
      try {
        if (agent.mode == MaintenanceMode.DRAINING || agent.mode == MaintenanceMode.DRAINED) {
          one.complete(MasterViews.endpoint(state, agent));
        } else {
          change(agent, MaintenanceMode.DRAINING, state.now().toEpochMilli(), one);
        }
      } catch (OperatorException e) {
        one.completeExceptionally(e);
      }
    }
    all(each, result);
  }

  /** Machines come back (Mesos' {@code /master/machine/up}): their agents are reactivated. */
  void machinesUp(List<MachineId> machines, CompletableFuture<List<AgentEndpoint>> result) {
    List<CompletableFuture<AgentEndpoint>> each = new ArrayList<>();
    for (Agent agent : onMachines(machines)) {
      CompletableFuture<AgentEndpoint> one = new CompletableFuture<>();
      each.add(one);
      try {
        if (agent.mode == MaintenanceMode.ACTIVE) {
          one.complete(MasterViews.endpoint(state, agent));
        } else {
          change(agent, MaintenanceMode.ACTIVE, 0, one);
        }
      } catch (OperatorException e) {
        one.completeExceptionally(e);
      }
    }
    all(each, result);
  }

  private List<Agent> onMachines(List<MachineId> machines) {
    List<Agent> out = new ArrayList<>();
    for (Agent agent : state.agents.values()) {
      if (!agent.admitted) {
        continue;
      }
      for (MachineId m : machines) {
        if (m.matches(agent.hostname(), agent.info.getHttpAddress())) {
          out.add(agent);
          break;
        }
      }
    }
    if (out.isEmpty()) {
      throw new OperatorException(404, "no agent runs on " + machines);
    }
    return out;
  }

  private static void all(List<CompletableFuture<AgentEndpoint>> each,
      CompletableFuture<List<AgentEndpoint>> result) {
    CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
      if (error != null) {
        result.completeExceptionally(error.getCause() != null ? error.getCause() : error);
        return;
      }
      List<AgentEndpoint> out = new ArrayList<>();
      each.forEach(f -> out.add(f.join()));
      result.complete(out);
    });
  }
}
