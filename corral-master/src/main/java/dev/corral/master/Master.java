package dev.corral.master;

import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.common.EventLoop;
import dev.corral.state.Store;
import io.grpc.BindableService;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Corral master: registry of agents, DRF allocator, offers and status routing, behind the
 * {@code AgentChannel} and {@code SchedulerChannel} gRPC services.
 *
 * <p><b>Threading.</b> All state lives on one {@link EventLoop}: gRPC callbacks only post events to it and
 * store completions re-enter through it; no domain code takes a lock. The loop is the caller's (a
 * {@code ThreadEventLoop} in production, a {@code ManualEventLoop} in unit tests) and outlives the master.
 *
 * <p><b>Hard state</b> (in the {@link Store}, written before the client is answered): admitted agents
 * ({@code /master/agents/<id>}) and frameworks ({@code /master/frameworks/<id>}). <b>Soft state</b>
 * (memory only): connections, heartbeats, offers, decline filters, suppression, and the task table, which
 * agents rebuild when they re-register after a master restart. See {@link MasterState}.
 *
 * <p>The public methods are thread-safe.
 */
public final class Master implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Master.class);
  private static final String REREGISTER_TAG = "reregister-deadline";
  private static final long START_WAIT_SECONDS = 30;
  /** Short: a loop that was shut down before the master must not stall the process's shutdown. */
  private static final long CLOSE_WAIT_SECONDS = 5;
  /** A pass hands over its offers in a burst, after which the loop has little to do: a thread per core, up to 4. */
  private static final int SENDER_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final MasterConfig config;
  private final Store store;
  private final TaskSecrets taskSecrets;
  private final EventLoop loop;
  private final MasterState state;
  private final Gate gate;
  private final Allocator allocator;
  private final AgentLiveness liveness;
  private final AgentProtocol agentProtocol;
  private final Subscriptions subscriptions;
  private final OfferCalls offerCalls;
  private final TaskCalls taskCalls;
  private final Reconciliations reconciliations;
  private final Maintenance maintenance;
  private final GroupCommit commitsForRoles;
  private final OfferBook offers;
  private final FrameworkSender frameworkSender;
  private final List<BindableService> services;
  private final AtomicBoolean started = new AtomicBoolean();

  public Master(MasterConfig config, Store store, EventLoop loop) {
    this.config = config;
    this.store = store;
    this.loop = loop;
    this.state = new MasterState(config, loop);
    this.gate = new Gate(loop);
    GroupCommit commits = new GroupCommit(store, state);
    this.commitsForRoles = commits;
    OfferBook offers = new OfferBook(state);
    this.offers = offers;
    this.allocator = new Allocator(state, offers);
    this.reconciliations = new Reconciliations(state);
    this.liveness = new AgentLiveness(state, offers, reconciliations);
    this.maintenance = new Maintenance(state, commits, offers, allocator);
    allocator.unavailability = maintenance::unavailability;
    AgentRegistrar registrar = new AgentRegistrar(state, commits, offers, allocator, liveness, reconciliations,
        maintenance);
    this.agentProtocol = new AgentProtocol(state, registrar, liveness,
        new StatusRouter(state, allocator, maintenance));
    this.subscriptions = new Subscriptions(state, commits, offers, allocator);
    this.offerCalls = new OfferCalls(state, subscriptions, offers, allocator, commits);
    this.taskCalls = new TaskCalls(state, gate, subscriptions, reconciliations);
    this.frameworkSender = new FrameworkSender("corral-framework-sender-" + config.masterId(),
        SENDER_THREADS);
    this.taskSecrets = new TaskSecrets(state, gate, new dev.corral.state.SecretStore(store));
    this.services = List.of(new AgentService(gate, agentProtocol, config.leaderEpoch(), taskSecrets),
        new SchedulerService(gate, frameworkSender, subscriptions, offerCalls, taskCalls));
  }

  /** What {@link #start} loads from the store. */
  private record Stored(List<AgentInfo> agents, List<FrameworkInfo> frameworks, Maintenance.Stored maintenance,
      Map<String, RoleSettings> roleSettings, Map<String, Reservations.Held> reserved) {
    static Stored read(Store store) {
      return new Stored(Registry.agents(store), Registry.frameworks(store), Maintenance.read(store),
          Roles.read(store), Reservations.read(store));
    }
  }

  /**
   * Reads what {@link #start} reads from the store and discards it (a standby warming up the take-over's
   * code); returns the number of agents read.
   */
  public static int readStoredState(Store store) {
    return Stored.read(store).agents().size();
  }

  /**
   * Loads admitted agents and frameworks from the store (blocking reads) and starts the re-register
   * timeout. Agents become RECOVERED: known, not offered, their tasks unknown until they re-register.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("master already started");
    }
    Stored stored = Stored.read(store);
    onLoopAndWait(() -> {
      for (FrameworkInfo info : stored.frameworks()) {
        Framework framework = new Framework(info.getFrameworkId(), FrameworkState.RECOVERED, info);
        framework.admitted = true;
        state.frameworks.put(framework.id, framework);
      }
      for (AgentInfo info : stored.agents()) {
        Agent agent = new Agent(info.getAgentId(), AgentState.RECOVERED, info);
        agent.admitted = true;
        state.agents.put(agent.id, agent);
      }
      maintenance.recover(stored.maintenance());
      stored.roleSettings().forEach(state.roles::put);
      stored.reserved().forEach(state.reservations::put);
      loop.schedule(REREGISTER_TAG, config.agentReregisterTimeout(), () -> {
        if (!state.closed) {
          liveness.reregisterDeadline();
        }
      });
    }, START_WAIT_SECONDS);
    log.info("master {} started: {} admitted agents, {} frameworks in the store", config.masterId(),
        stored.agents().size(), stored.frameworks().size());
  }

  /** The {@code AgentChannel} and {@code SchedulerChannel} implementations, to add to a gRPC server. */
  public List<BindableService> services() {
    return services;
  }

  /** An immutable view, taken on the loop. */
  public CompletableFuture<MasterSnapshot> snapshot() {
    CompletableFuture<MasterSnapshot> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(takeSnapshot());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * Where the task's sandbox is served: its agent's files and logs HTTP address. Also answers for the last
   * {@value MasterState#REMEMBERED_REMOVED_TASKS} tasks removed from the table (their sandboxes usually
   * remain). Empty for a task this master run has not seen. Runs on the loop, by index, not by scan.
   */
  public CompletableFuture<Optional<TaskEndpoint>> taskEndpoint(String taskId) {
    CompletableFuture<Optional<TaskEndpoint>> result = new CompletableFuture<>();
    loop.execute(() -> {
      TaskKey key = state.taskIds.get(taskId);
      Task task = key == null ? state.removedTasks.get(taskId) : state.tasks.get(key);
      if (task == null) {
        result.complete(Optional.empty());
        return;
      }
      Agent agent = state.agents.get(task.agentId);
      AgentInfo info = agent == null ? AgentInfo.getDefaultInstance() : agent.info;
      String host = info.getHttpAddress().isEmpty() ? info.getHostname() : info.getHttpAddress();
      result.complete(Optional.of(new TaskEndpoint(taskId, task.key.frameworkId(), task.agentId, host,
          info.getHttpPort(), task.latest.getState().name(), key != null)));
    });
    return result;
  }

  /** Every agent the master knows, by id, with where its HTTP API is served. Runs on the loop. */
  public CompletableFuture<List<AgentEndpoint>> agents() {
    return onLoopFuture(() -> MasterViews.agents(state));
  }

  /** One agent by id; empty when the master does not know it. Runs on the loop, by index. */
  public CompletableFuture<Optional<AgentEndpoint>> agentEndpoint(String agentId) {
    return onLoopFuture(() -> Optional.ofNullable(state.agents.get(agentId)).map(a -> MasterViews.endpoint(state, a)));
  }

  /** Agents, frameworks and tasks by state and the offers outstanding, counted on the loop. */
  public CompletableFuture<MasterCounts> counts() {
    return onLoopFuture(() -> MasterViews.counts(state));
  }

  // ---- operator calls: each answers once its change is durable; OperatorException says why not ----

  /**
   * Drains the agent: it is no longer offered, frameworks are told to move their work off it, what is left
   * after {@code grace} (null: never) is killed, and it ends DRAINED once nothing runs there.
   */
  public CompletableFuture<AgentEndpoint> drain(String agentId, Duration grace) {
    return onLoopCall(result -> maintenance.drain(agentId, grace, result));
  }

  /** Stops offering the agent; its tasks keep running. */
  public CompletableFuture<AgentEndpoint> deactivate(String agentId) {
    return onLoopCall(result -> maintenance.deactivate(agentId, result));
  }

  /** Ends a drain or a deactivation: the agent is offered again. */
  public CompletableFuture<AgentEndpoint> reactivate(String agentId) {
    return onLoopCall(result -> maintenance.reactivate(agentId, result));
  }

  public CompletableFuture<List<MaintenanceWindow>> maintenanceSchedule() {
    return onLoopFuture(maintenance::schedule);
  }

  /** Replaces the maintenance schedule; offers of the machines in it carry their window from now on. */
  public CompletableFuture<List<MaintenanceWindow>> setMaintenanceSchedule(List<MaintenanceWindow> windows) {
    return onLoopCall(result -> maintenance.setSchedule(windows, result));
  }

  /** The agents on these machines drain with no grace (their tasks are killed now). */
  public CompletableFuture<List<AgentEndpoint>> machinesDown(List<MachineId> machines) {
    return onLoopCall(result -> maintenance.machinesDown(machines, result));
  }

  /** The agents on these machines are reactivated. */
  public CompletableFuture<List<AgentEndpoint>> machinesUp(List<MachineId> machines) {
    return onLoopCall(result -> maintenance.machinesUp(machines, result));
  }

  // ---- dynamic reservations ----

  /**
   * Reserves unreserved scalar resources of a connected agent for roles (each resource names its role). The
   * agent's outstanding offers are rescinded first; what is reserved must be free (not used by tasks).
   */
  public CompletableFuture<AgentEndpoint> reserve(String agentId, List<dev.corral.api.v1.Resource> resources) {
    return onLoopCall(result -> changeReservation(agentId, resources, true, result));
  }

  /** Gives dynamically reserved resources back to {@code *}; they must not be in use by tasks. */
  public CompletableFuture<AgentEndpoint> unreserve(String agentId, List<dev.corral.api.v1.Resource> resources) {
    return onLoopCall(result -> changeReservation(agentId, resources, false, result));
  }

  private void changeReservation(String agentId, List<dev.corral.api.v1.Resource> resources, boolean reserve,
      CompletableFuture<AgentEndpoint> result) {
    Agent agent = state.agents.get(agentId);
    if (agent == null || !agent.admitted) {
      throw new OperatorException(404, "agent '" + agentId + "' is unknown to the master (see corral node list)");
    }
    if (!agent.state.isConnected()) {
      throw new OperatorException(409, "agent " + agentId + " is " + agent.state + "; reserve on connected agents");
    }
    if (resources.isEmpty()) {
      throw new OperatorException(400, "resources: must name at least one resource");
    }
    dev.corral.api.ResourceSet.Builder b = dev.corral.api.ResourceSet.builder();
    for (int i = 0; i < resources.size(); i++) {
      dev.corral.api.v1.Resource r = resources.get(i);
      String at = "resources[" + i + "]";
      if (r.getName().isBlank()) {
        throw new OperatorException(400, at + ".name: is required");
      }
      if (r.getRangesCount() > 0 || !(r.getScalar() > 0)) {
        throw new OperatorException(400, at + ".scalar: must be a positive amount (only scalars can be reserved)");
      }
      if (r.getRole().isBlank() || r.getRole().equals(dev.corral.api.ResourceSet.UNRESERVED)) {
        throw new OperatorException(400, at + ".role: must name the role to reserve for, not '" + r.getRole() + "'");
      }
      b.scalar(r.getName(), r.getRole(), r.getScalar());
    }
    dev.corral.api.ResourceSet change = b.build();
    offers.rescindAll(agent);
    dev.corral.api.ResourceSet free = Resources.clampedMinus(agent.total, agent.used);
    dev.corral.api.ResourceSet current = state.reservations.of(agentId);
    dev.corral.api.ResourceSet next;
    if (reserve) {
      for (dev.corral.api.v1.Resource r : change.toProto()) {
        double left = free.scalar(r.getName(), dev.corral.api.ResourceSet.UNRESERVED);
        if (left + 1e-6 < r.getScalar()) {
          throw new OperatorException(409, "agent " + agentId + " has " + Resources.number(left) + " " + r.getName()
              + " unreserved and free, less than the " + Resources.number(r.getScalar()) + " asked for");
        }
      }
      next = current.plus(change);
    } else {
      if (!current.contains(change)) {
        throw new OperatorException(409, "agent " + agentId + " has no such dynamic reservation; it has " + current);
      }
      if (!free.contains(change)) {
        throw new OperatorException(409, "tasks or persistent volumes on agent " + agentId + " use part of "
            + change + "; it can be unreserved once the tasks end and the volumes are destroyed");
      }
      next = current.minus(change);
    }
    Reservations.Held held = new Reservations.Held(next, state.reservations.volumesOf(agentId));
    commitsForRoles.persist(Reservations.op(agentId, held), error -> {
      if (error != null) {
        result.completeExceptionally(new OperatorException(503, "could not persist the reservation: "
            + error.getMessage()));
        return;
      }
      state.reservations.put(agentId, held);
      Agent now = state.agents.get(agentId);
      state.setAgentTotal(now, state.reservations.apply(agentId,
          dev.corral.api.ResourceSet.fromProto(now.info.getResourcesList())));
      offers.rescindAll(now);
      allocator.agentChanged(agentId);
      result.complete(MasterViews.endpoint(state, now));
    });
  }

  // ---- roles: weights and quota ----

  /** Every role with settings or frameworks, by name. */
  public CompletableFuture<List<RoleView>> roles() {
    return onLoopFuture(this::roleViews);
  }

  /** Sets a role's weight (positive; 1 is the default). Answers once durable. */
  public CompletableFuture<RoleView> setWeight(String role, double weight) {
    return onLoopCall(result -> {
      requireRole(role);
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw new OperatorException(400, "weight: must be a positive number, got " + weight);
      }
      changeRole(role, state.roles.get(role).withWeight(weight), result);
    });
  }

  /**
   * Sets a role's quota: {@code guarantee} (offered first until met; kinds left out are 0) and {@code limit}
   * (never allocated beyond; kinds left out are unlimited). Kinds are cpus, mem, disk and gpus.
   */
  public CompletableFuture<RoleView> setQuota(String role, Map<String, Double> guarantee, Map<String, Double> limit) {
    return onLoopCall(result -> {
      requireRole(role);
      Scalars g = guarantee == null ? null : quotaScalars(guarantee, "guarantee", 0);
      Scalars l = limit == null ? null : quotaScalars(limit, "limit", Double.NaN);
      if (g != null && l != null) {
        double[][] pairs = {{g.cpus(), l.cpus()}, {g.mem(), l.mem()}, {g.disk(), l.disk()}, {g.gpus(), l.gpus()}};
        String[] kinds = {"cpus", "mem", "disk", "gpus"};
        for (int k = 0; k < kinds.length; k++) {
          if (!Double.isNaN(pairs[k][1]) && pairs[k][0] > pairs[k][1]) {
            throw new OperatorException(400, "guarantee." + kinds[k] + ": " + pairs[k][0] + " is above limit."
                + kinds[k] + " " + pairs[k][1]);
          }
        }
      }
      changeRole(role, state.roles.get(role).withQuota(g, l), result);
    });
  }

  /** Removes a role's quota (its weight stays). */
  public CompletableFuture<RoleView> removeQuota(String role) {
    return onLoopCall(result -> {
      requireRole(role);
      RoleSettings s = state.roles.get(role);
      if (s.guarantee() == null && s.limit() == null) {
        throw new OperatorException(404, "role '" + role + "' has no quota");
      }
      changeRole(role, s.withQuota(null, null), result);
    });
  }

  private static void requireRole(String role) {
    if (role == null || role.isBlank() || role.equals("*") || !role.matches("[A-Za-z0-9_.\\-/]+")) {
      throw new OperatorException(400, "role: must be a role name (letters, digits, '_', '-', '.', '/'), not '"
          + role + "'");
    }
  }

  private static Scalars quotaScalars(Map<String, Double> amounts, String path, double absent) {
    double[] v = {absent, absent, absent, absent};
    amounts.forEach((kind, amount) -> {
      int k = switch (kind) {
        case "cpus" -> 0;
        case "mem" -> 1;
        case "disk" -> 2;
        case "gpus" -> 3;
        default -> throw new OperatorException(400, path + "." + kind
            + ": unknown resource (quota is of cpus, mem, disk and gpus)");
      };
      if (amount == null || amount < 0 || amount.isNaN() || amount.isInfinite()) {
        throw new OperatorException(400, path + "." + kind + ": must be a number, 0 or more");
      }
      v[k] = amount;
    });
    return new Scalars(v[0], v[1], v[2], v[3]);
  }

  private void changeRole(String role, RoleSettings next, CompletableFuture<RoleView> result) {
    commitsForRoles.persist(Roles.op(role, next), error -> {
      if (error != null) {
        result.completeExceptionally(new OperatorException(503, "could not persist role " + role + ": "
            + error.getMessage()));
        return;
      }
      state.roles.put(role, next);
      allocator.allChanged();
      result.complete(roleViews().stream().filter(r -> r.role().equals(role)).findFirst()
          .orElse(new RoleView(role, 1.0, Map.of(), Map.of(), Map.of(), 0)));
    });
  }

  private List<RoleView> roleViews() {
    Map<String, Scalars> held = new java.util.TreeMap<>();
    Map<String, Integer> count = new java.util.HashMap<>();
    for (Framework f : state.frameworks.values()) {
      held.merge(f.role(), f.allocated.plus(f.offered), Scalars::plus);
      count.merge(f.role(), 1, Integer::sum);
    }
    state.roles.all().keySet().forEach(r -> held.putIfAbsent(r, Scalars.ZERO));
    List<RoleView> out = new ArrayList<>();
    held.forEach((role, h) -> {
      RoleSettings s = state.roles.get(role);
      out.add(new RoleView(role, s.weight(), RoleSettings.map(s.guarantee()), RoleSettings.map(s.limit()),
          RoleSettings.map(h), count.getOrDefault(role, 0)));
    });
    return out;
  }

  private <T> CompletableFuture<T> onLoopCall(java.util.function.Consumer<CompletableFuture<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        work.accept(result);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private <T> CompletableFuture<T> onLoopFuture(java.util.function.Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private MasterSnapshot takeSnapshot() {
    List<MasterSnapshot.AgentView> agents = new ArrayList<>();
    for (Agent a : state.agents.values()) {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (Attribute attribute : a.info.getAttributesList()) {
        attributes.put(attribute.getName(), attribute.getText());
      }
      agents.add(new MasterSnapshot.AgentView(a.id, a.hostname(), attributes, a.total, a.used, a.offered,
          a.state.isConnected(), a.state.name()));
    }
    agents.sort(Comparator.comparing(MasterSnapshot.AgentView::id));
    List<MasterSnapshot.FrameworkView> frameworks = new ArrayList<>();
    for (Framework f : state.frameworks.values()) {
      frameworks.add(new MasterSnapshot.FrameworkView(f.id, f.name(), f.role(), f.isConnected(), f.suppressed,
          f.state.name()));
    }
    frameworks.sort(Comparator.comparing(MasterSnapshot.FrameworkView::id));
    List<MasterSnapshot.TaskView> tasks = new ArrayList<>();
    for (Task t : state.tasks.values()) {
      tasks.add(new MasterSnapshot.TaskView(t.key.taskId(), t.key.frameworkId(), t.agentId, t.latest.getState()));
    }
    tasks.sort(Comparator.comparing(MasterSnapshot.TaskView::id).thenComparing(MasterSnapshot.TaskView::frameworkId));
    List<MasterSnapshot.OfferView> offers = new ArrayList<>();
    for (Offer o : state.offers.values()) {
      offers.add(new MasterSnapshot.OfferView(o.id, o.frameworkId, o.agentId, o.resources));
    }
    offers.sort(Comparator.comparing(MasterSnapshot.OfferView::id));
    return new MasterSnapshot(config.masterId(), agents, frameworks, tasks, offers);
  }

  /**
   * Ends every agent stream and subscription (UNAVAILABLE, so that clients reconnect to the next leader)
   * and cancels the master's timers. Does not shut the loop down or close the store: both are the caller's.
   */
  @Override
  public void close() {
    gate.close();
    try {
      onLoopAndWait(this::shutDown, CLOSE_WAIT_SECONDS);
    } catch (IllegalStateException e) {
      log.warn("could not close master {} cleanly: {}", config.masterId(), e.getMessage());
    }
    frameworkSender.close();
    taskSecrets.close();
  }

  /** Writes the events of subscriptions made through {@link #services}; benchmarks wrap their links in it. */
  FrameworkSender frameworkSender() {
    return frameworkSender;
  }

  private void shutDown() {
    if (state.closed) {
      return;
    }
    state.closed = true;
    Status bye = Status.UNAVAILABLE.withDescription("master " + config.masterId() + " is shutting down");
    loop.cancel(Allocator.TAG);
    loop.cancel(REREGISTER_TAG);
    for (Agent agent : state.agents.values()) {
      liveness.stopWatching(agent);
      if (agent.link != null) {
        agent.link.close(bye);
        agent.link = null;
      }
    }
    subscriptions.cancelTimers();
    for (Framework framework : state.frameworks.values()) {
      if (framework.link != null) {
        framework.link.close(bye);
        framework.link = null;
      }
    }
    state.agentLinks.clear();
    state.frameworkLinks.clear();
  }


  /** Runs on the loop; from another thread, waits for it (start-up and shutdown only). */
  private void onLoopAndWait(Runnable work, long timeoutSeconds) {
    if (loop.inLoop()) {
      work.run();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        work.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      done.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the master's loop", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("master loop work failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the master's loop did not run the work within " + timeoutSeconds
          + " s (was it shut down first?)", e);
    }
  }

  // ---- for tests in this package ----

  AgentProtocol agentProtocol() {
    return agentProtocol;
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  OfferCalls offerCalls() {
    return offerCalls;
  }

  TaskSecrets taskSecrets() {
    return taskSecrets;
  }

  TaskCalls taskCalls() {
    return taskCalls;
  }

  Allocator allocator() {
    return allocator;
  }

  Maintenance maintenance() {
    return maintenance;
  }

  Reconciliations reconciliations() {
    return reconciliations;
  }
}
