package dev.corral.services.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.ReconcileTask;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.scheduler.Scheduler;
import dev.corral.common.EventLoop;
import dev.corral.common.Ids;
import dev.corral.common.ThrottledLog;
import dev.corral.scheduler.SchedulerDriver;
import dev.corral.services.ServicesConfig;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.events.EventBus;
import dev.corral.services.events.MarathonEvents;
import dev.corral.services.health.UnhealthyKillLimiter;
import dev.corral.services.instance.Backoff;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceCodec;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.placement.OfferStats;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service scheduler's core: owns the model, executes effects, talks to the driver, runs timers.
 *
 * <p>Threading: everything here runs on the one event loop and asserts it; the driver's callbacks and the
 * API's commands are re-posted to the loop by {@code ServiceScheduler}. Store commits and driver calls are
 * asynchronous; their completions re-enter the loop.
 *
 * <p>Ordering guarantees: a change is applied to the in-memory model at once (so the next command sees it)
 * and to the store in one commit; driver calls that act on it (launch, kill, acknowledge) and API answers
 * wait until that commit is durable. If a commit fails the model is ahead of the store; the failure is
 * logged and the API answers 503. The store failing means this scheduler cannot lead safely; the launcher
 * restarts it, and recovery starts again from the store.
 */
public final class Engine implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  /** A backlog puts off thousands of statuses; a line each would only add to the load. */
  private static final ThrottledLog PUT_OFF = new ThrottledLog(10);

  static final Duration RECONCILE_INTERVAL = Duration.ofMinutes(10);
  /**
   * How often waiting instances re-ask for offers, as Marathon's repeated revives did: a safety net should
   * any revive be lost, so that a waiting app never waits on a stale filter for long.
   */
  static final Duration REVIVE_CHECK_INTERVAL = Duration.ofSeconds(30);
  static final Duration KILL_RETRY = Duration.ofSeconds(30);
  /** Refuse time for offers declined while something else waits: new offers come back soon. */
  static final double REFUSE_SHORT_SECONDS = 5;
  /** Refuse time when nothing waits (Marathon's decline_offer_duration); revive() lifts it early. */
  static final double REFUSE_LONG_SECONDS = 120;
  /**
   * Revives at most this often (Marathon's min_revive_offers_interval, there 5 s): each revive makes the
   * master offer every agent again, so a burst of new apps is placed from one revive every interval instead
   * of one each. The first revive after a quiet spell goes at once.
   */
  public static final Duration MIN_REVIVE_INTERVAL = Duration.ofMillis(100);

  final ServicesConfig config;
  final Store store;
  final EventLoop loop;
  final ServiceModel model = new ServiceModel();
  /** Marathon's event stream: status updates and instance changes are published once committed. */
  private final EventBus events;
  private final OfferRound offerRound = new OfferRound(this);
  private final AppCommands commands = new AppCommands(this);
  private final GroupCommands groupCommands = new GroupCommands(this);
  private final PodCommands podCommands = new PodCommands(this);
  private final DeploymentProgress deployments = new DeploymentProgress(this);
  private final QueueCommands queue = new QueueCommands(this);
  private final UnhealthyTasks unhealthy = new UnhealthyTasks(new UnhealthyKillLimiter());
  private volatile SchedulerDriver driver;
  private boolean subscribed;
  private boolean frameworkIdDurable;
  /** The framework id the store holds: what /v2/info reports, so that a client seeing it may rely on it. */
  private String storedFrameworkId = "";
  /** Whether the master may be holding offers back from us (suppressed, or declined with a long filter). */
  private boolean offersFiltered = true;
  private boolean suppressed;
  private Instant lastRevive = Instant.MIN;
  /** Whether the loop runs an API request's work now: its commits may pass queued ones (Store#commitAhead). */
  private boolean servingApiRequest;
  /** Agents the master drains (soft state: the master repeats them after every subscription). */
  private final Set<String> drainingAgents = new LinkedHashSet<>();
  /** Apps whose re-planning is queued on the loop ({@link #replanSoon}). */
  private final Set<String> replanQueued = new HashSet<>();
  private long replans;
  /** Statuses put off while the store was backlogged ({@link #update}). */
  private long statusesPutOff;

  public Engine(ServicesConfig config, Store store, EventLoop loop) {
    this(config, store, loop, new EventBus(loop.clock()));
  }

  public Engine(ServicesConfig config, Store store, EventLoop loop, EventBus events) {
    this.config = config;
    this.store = store;
    this.loop = loop;
    this.events = events;
  }

  /** How many times an app was re-planned (each walks all its instances); loop thread. */
  public long replans() {
    loop.assertInLoop();
    return replans;
  }

  /** How many statuses were put off while the store was backlogged; loop thread. */
  public long statusesPutOff() {
    loop.assertInLoop();
    return statusesPutOff;
  }

  /** The event bus behind {@code /v2/events}; thread-safe. */
  public EventBus events() {
    return events;
  }

  /** Set once, before the driver starts. */
  public void setDriver(SchedulerDriver driver) {
    this.driver = driver;
  }

  SchedulerDriver driver() {
    return driver;
  }

  public AppCommands commands() {
    return commands;
  }

  public PodCommands podCommands() {
    return podCommands;
  }

  public GroupCommands groupCommands() {
    return groupCommands;
  }

  DeploymentProgress deployments() {
    return deployments;
  }

  public QueueCommands queue() {
    return queue;
  }

  boolean frameworkIdDurable() {
    return frameworkIdDurable;
  }

  Instant now() {
    return loop.clock().instant();
  }

  // ---------------------------------------------------------------- recovery and views

  /** Loads what {@link Recovery} read, then plans every app once (e.g. expunges what a crash left behind). */
  public void recover(Recovery.Recovered r) {
    loop.assertInLoop();
    model.setFrameworkId(r.frameworkId());
    storedFrameworkId = r.frameworkId();
    r.apps().forEach(model::putApp);
    r.versions().forEach((appId, v) -> {
      if (model.app(appId) != null) {
        model.setVersions(appId, v);
      }
    });
    r.instances().forEach(model::putInstance);
    r.failures().forEach(model::putFailure);
    r.deployments().forEach(model::putDeployment);
    r.groups().forEach(model::putGroup);
    for (Instance i : model.instances()) {
      if (i.unreachableSince() != null) {
        scheduleUnreachableChecks(i);
      }
    }
    Set<String> ids = new LinkedHashSet<>(model.apps().keySet());
    ids.addAll(model.appIdsWithInstances());
    Batch b = new Batch();
    for (String id : ids) {
      apply(b, replan(id));
    }
    // A deployment whose step was done just before a restart or failover may see no further change to its
    // apps: check each once now, or it would hold its apps locked.
    for (Deployment d : model.deployments().values()) {
      b.touched.addAll(d.affectedApps());
    }
    commit(b);
  }

  /** What {@link #recover} loaded, for the log; loop thread. */
  public String recoveredSummary() {
    return model.apps().size() + " apps, " + model.instances().size() + " instances and "
        + model.deployments().size() + " deployments (framework id '" + model.frameworkId() + "')";
  }

  public ServicesView view() {
    loop.assertInLoop();
    Map<String, List<Instance>> instances = new HashMap<>();
    for (String appId : model.appIdsWithInstances()) {
      instances.put(appId, model.instanceList(appId));
    }
    Map<String, List<String>> versions = new HashMap<>();
    for (String appId : model.apps().keySet()) {
      versions.put(appId, model.versionList(appId));
    }
    return new ServicesView(now(), storedFrameworkId, subscribed, model.apps(), instances, model.failures(),
        model.backoffs(), model.offerStats(), model.deployments(), versions, model.deploymentIndex(),
        model.groups());
  }

  /**
   * A snapshot like {@link #view()} narrowed to the given apps (those that exist) and what concerns them: their
   * instances, versions, failures, backoffs, offer statistics and deployments; no groups. It costs what those
   * apps hold, not what the whole model holds, so that reading one app or the queue stays cheap with
   * thousands of apps.
   */
  public ServicesView view(Collection<String> appIds) {
    loop.assertInLoop();
    Map<String, AppDefinition> apps = new HashMap<>();
    Map<String, List<Instance>> instances = new HashMap<>();
    Map<String, TaskFailure> failures = new HashMap<>();
    Map<String, Backoff> backoffs = new HashMap<>();
    Map<String, OfferStats> offerStats = new HashMap<>();
    Map<String, List<String>> versions = new HashMap<>();
    Map<String, String> deploymentByApp = new HashMap<>();
    Map<String, Deployment> deployments = new HashMap<>();
    for (String appId : appIds) {
      AppDefinition app = model.app(appId);
      if (app == null) {
        continue;
      }
      apps.put(appId, app);
      instances.put(appId, model.instanceList(appId));
      versions.put(appId, model.versionList(appId));
      TaskFailure failure = model.failure(appId);
      if (failure != null) {
        failures.put(appId, failure);
      }
      Backoff backoff = model.backoff(appId);
      if (backoff != Backoff.NONE) {
        backoffs.put(appId, backoff);
      }
      OfferStats stats = model.offerStatsSnapshot(appId);
      if (stats != null) {
        offerStats.put(appId, stats);
      }
      Deployment d = model.deploymentOf(appId);
      if (d != null) {
        deploymentByApp.put(appId, d.id());
        deployments.put(d.id(), d);
      }
    }
    return new ServicesView(now(), storedFrameworkId, subscribed, apps, instances, failures, backoffs, offerStats,
        deployments, versions, deploymentByApp, Map.of());
  }

  /** The narrow view of the apps with an instance waiting for an offer: what {@code /v2/queue} shows. */
  public ServicesView queueView() {
    return view(new ArrayList<>(model.appIdsWithWaiting()));
  }

  /** The tasks of the apps labelled {@code DCOS_SERVICE_NAME=name}, for the {@code /service/} proxy. */
  public ServiceTargets serviceTargets(String name) {
    loop.assertInLoop();
    ServiceTargets targets = ServiceLookup.find(model, name);
    model.publishTargets(name, targets);
    return targets;
  }

  /**
   * {@link #serviceTargets} as last looked up, when no app or instance of that name changed since; null
   * otherwise. Any thread: the gateway asks per proxied request without waiting for the loop.
   */
  public ServiceTargets publishedServiceTargets(String name) {
    return model.publishedTargets(name);
  }

  /**
   * The app or pod a task of framework {@code frameworkId} belongs to: the instance that has it, else (a task
   * that ended and was forgotten) the id read from the task id; empty for another framework's task.
   */
  public Optional<String> runSpecOfTask(String frameworkId, String taskId) {
    loop.assertInLoop();
    if (model.frameworkId().isEmpty() || !model.frameworkId().equals(frameworkId)) {
      return Optional.empty();
    }
    Instance i = model.instanceByTask(taskId);
    return i != null ? Optional.of(i.appId()) : AppIds.ofTaskId(taskId);
  }

  // ---------------------------------------------------------------- driver events

  @Override
  public void subscribed(String frameworkId) {
    loop.assertInLoop();
    subscribed = true;
    // The master repeats the agents that drain right after this; one whose drain ended meanwhile is gone.
    drainingAgents.clear();
    if (frameworkId.equals(model.frameworkId())) {
      frameworkIdDurable = true;
      afterSubscribed();
      return;
    }
    // The id must be durable before anything is launched under it, or a restart would orphan the tasks.
    frameworkIdDurable = false;
    Batch b = new Batch();
    apply(b, List.of(new Effect.SaveFrameworkId(frameworkId)));
    commit(b).whenComplete((v, err) -> {
      if (err == null) {
        frameworkIdDurable = true;
        storedFrameworkId = frameworkId;
        afterSubscribed();
      }
    });
  }

  private void afterSubscribed() {
    if (driver == null) {
      return;
    }
    log.info("subscribed as framework {}", model.frameworkId());
    reconcileAll();
    for (Instance i : model.instances()) {
      if (i.goal() != Goal.RUNNING && i.hasLiveTask()) {
        kill(new Effect.Kill(i.task().taskId(), i.task().agentId(), OptionalDouble.empty()));
      }
    }
    if (hasLaunchable(now())) {
      revive();
    } else {
      driver.suppress();
      suppressed = true;
      offersFiltered = true;
    }
    loop.schedule("reconcile", RECONCILE_INTERVAL, this::periodicReconcile);
    loop.schedule("revive-check", REVIVE_CHECK_INTERVAL, this::periodicReviveCheck);
  }

  private void periodicReviveCheck() {
    reviveIfWaiting();
    loop.schedule("revive-check", REVIVE_CHECK_INTERVAL, this::periodicReviveCheck);
  }

  @Override
  public void disconnected(String reason) {
    loop.assertInLoop();
    log.warn("lost the subscription: {}", reason);
    subscribed = false;
  }

  @Override
  public void offers(List<Offer> offers) {
    loop.assertInLoop();
    offerRound.handle(offers);
  }

  @Override
  public void rescinded(String offerId) {
    // Offers are answered as they arrive; one rescinded between match and launch makes the launch fail,
    // which puts its instances back in the queue (OfferRound.requeue).
    log.debug("offer {} rescinded", offerId);
  }

  @Override
  public void failure(String agentId, String message) {
    log.warn("agent {} failed: {}", agentId, message);
  }

  /**
   * An agent drains (or its drain ended): every app with an instance there is re-planned, which replaces
   * those instances elsewhere by the app's upgrade strategy (see {@link AppPlanner}).
   */
  @Override
  public void draining(String agentId, boolean draining, long deadlineMillis) {
    loop.assertInLoop();
    boolean changed = draining ? drainingAgents.add(agentId) : drainingAgents.remove(agentId);
    if (!changed) {
      return;
    }
    log.info("agent {} {}", agentId, draining ? "drains: moving its instances elsewhere" : "no longer drains");
    Set<String> apps = new LinkedHashSet<>();
    for (Instance i : model.instances()) {
      if (i.task() != null && agentId.equals(i.task().agentId())) {
        apps.add(i.appId());
      }
    }
    Batch b = new Batch();
    for (String appId : apps) {
      apply(b, replan(appId));
    }
    commit(b);
  }

  /**
   * A task status: apply it, re-plan the app, persist, and only then acknowledge. While the store is
   * backlogged the status is put off instead: neither applied nor acknowledged, so the agent sends it again
   * (it resends unacknowledged statuses), by when the writer has caught up. Applying it would add one more
   * write to a queue that, once full, refuses commits, leaving memory ahead of the store.
   */
  @Override
  public void update(TaskStatus status) {
    loop.assertInLoop();
    if (store.backlogged()) {
      statusesPutOff++;
      PUT_OFF.log(more -> log.warn("store backlogged: status {} of task {} put off until the agent resends it{}",
          status.getState(), status.getTaskId(), more));
      return;
    }
    Batch b = new Batch();
    Instance instance = model.instanceByTask(status.getTaskId());
    if (instance == null) {
      if (!TaskLifecycle.isTerminal(status.getState())) {
        // A task no instance owns (e.g. launched before a crash lost the record): nobody wants it.
        log.info("killing task {} on agent {}: it belongs to no instance", status.getTaskId(), status.getAgentId());
        b.after.add(new Effect.Kill(status.getTaskId(), status.getAgentId(), OptionalDouble.empty()));
      }
    } else {
      AppDefinition app = model.app(instance.appId());
      boolean container = instance.task() != null && instance.task().isGroup()
          && !status.getTaskId().equals(instance.task().taskId());
      List<Effect> effects = container ? PodStatuses.onStatus(instance, status, app, now())
          : InstanceStateMachine.onStatus(instance, status, app, now());
      statusEvents(b, instance, status, app, effects);
      apply(b, effects);
      List<Effect> kills = unhealthy.afterStatus(model, model.instance(instance.id()), app, now());
      apply(b, kills);
      // A status that changed nothing (a repeat, a reconciliation after failover) cannot change the plan.
      if ((!effects.isEmpty() || !kills.isEmpty()) && mayChangePlan(instance, status, app)) {
        replanSoon(instance.appId());
      }
      if (instance.goal() != Goal.RUNNING && !TaskLifecycle.isTerminal(status.getState())
          && instance.state() == InstanceState.UNREACHABLE) {
        // Back from a partition after it was replaced: the kill sent while it was away never arrived.
        b.after.add(new Effect.Kill(status.getTaskId(), status.getAgentId(), OptionalDouble.empty()));
      }
    }
    b.after.add(new Effect.Acknowledge(status));
    commit(b);
  }

  /**
   * Whether a status can change what the app's plan decides. Re-planning walks all the app's instances, so
   * doing it for each of the thousands of RUNNING updates that follow a big launch made the loop quadratic.
   * A non-terminal status of an instance that is wanted, of the current config, and not coming back from a
   * partition, in an app whose every instance is such, changes nothing the planner looks at: it starts,
   * stops and replaces by count, config and terminal or unreachable state. (Health changes that gate a
   * rolling upgrade only occur when old-config instances exist, and then this returns true.)
   */
  private boolean mayChangePlan(Instance before, TaskStatus status, AppDefinition app) {
    if (app == null || TaskLifecycle.isTerminal(status.getState()) || status.getState() == TaskState.TASK_UNREACHABLE
        || before.state() == InstanceState.UNREACHABLE || before.goal() != Goal.RUNNING
        || !before.configVersion().equals(app.configVersion()) || !drainingAgents.isEmpty()) {
      return true;
    }
    String appId = app.id();
    return model.instanceCount(appId) != app.instances()
        || model.wantedCount(appId, app.configVersion()) != app.instances();
  }

  /**
   * Events of an applied status (none for a repeat or an ignored status, which change nothing): its
   * status_update_event, and for a terminal state the instance_changed_event, since that state never reaches
   * the model (the instance is relaunched or expunged in the same step); other condition changes are
   * reported by {@link #apply} from the instance it stores.
   */
  private static void statusEvents(Batch b, Instance before, TaskStatus status, AppDefinition app,
      List<Effect> effects) {
    if (effects.isEmpty()) {
      return;
    }
    b.events.add(MarathonEvents.statusUpdate(status, before));
    InstanceState next = InstanceState.of(status.getState());
    if (next.isTerminal()) {
      b.events.add(MarathonEvents.instanceChanged(before, next, app));
    }
  }

  // ---------------------------------------------------------------- planning helpers

  List<Effect> replan(String appId) {
    replans++;
    AppDefinition app = model.app(appId);
    Deployment d = model.deploymentOf(appId);
    boolean held = d != null && d.holds(appId);
    return AppPlanner.plan(appId, app, app == null, held, model.instancesOf(appId), now(),
        () -> newInstanceId(appId), drainingAgents);
  }

  static String newInstanceId(String appId) {
    return AppIds.taskPrefix(appId) + ".instance-" + Ids.uuid();
  }

  static String newTaskId(String appId) {
    return AppIds.taskPrefix(appId) + "." + Ids.uuid();
  }

  /** Whether some supported, not backed-off app has an instance waiting for an offer. */
  boolean hasLaunchable(Instant now) {
    if (!model.appIdsWithReleases().isEmpty()) {
      return true; // a resident instance's reservation to release needs an offer of its agent
    }
    // Asked after every commit: looks only at apps with a waiting instance, never at every instance.
    for (String appId : model.appIdsWithWaiting()) {
      AppDefinition app = model.app(appId);
      if (app == null || !app.unsupportedReasons().isEmpty() || model.backoff(appId).delayed(now)) {
        continue;
      }
      if (model.waitingCount(appId, app.configVersion()) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Revives offers when something can launch and the master may be holding offers back. */
  void updateOfferInterest() {
    if (!subscribed || !frameworkIdDurable || driver == null) {
      return;
    }
    if (offersFiltered && hasLaunchable(now())) {
      Instant due = lastRevive.plus(MIN_REVIVE_INTERVAL);
      if (now().isBefore(due)) {
        loop.scheduleIfAbsent("revive", Duration.between(now(), due), this::updateOfferInterest);
        return;
      }
      revive();
    }
  }

  private void revive() {
    driver.revive();
    lastRevive = now();
    suppressed = false;
    offersFiltered = false;
  }

  /**
   * After launches: if instances still wait (e.g. an app created while the launch was being committed),
   * revive, because the launch's refuse filter reached the master after any earlier revive.
   */
  void reviveIfWaiting() {
    offersFiltered = true;
    updateOfferInterest();
  }

  /** After a round that used up the demand: keep offers away until there is work again. */
  void noMoreDemand() {
    offersFiltered = true;
    if (!suppressed && driver != null) {
      driver.suppress();
      suppressed = true;
    }
  }

  void declinedLong() {
    offersFiltered = true;
  }

  // ---------------------------------------------------------------- effects

  /** Store operations and driver effects gathered for one commit. Loop-confined. */
  static final class Batch {
    /** By path: a later operation on the same node replaces an earlier one (one op per node per multi). */
    private final Map<String, StoreOp> ops = new LinkedHashMap<>();
    final List<Effect> after = new ArrayList<>();
    /** Apps whose definition or instances changed: their deployments may have moved on. */
    final Set<String> touched = new LinkedHashSet<>();
    /** Events to publish once the commit is durable. */
    final List<ObjectNode> events = new ArrayList<>();

    void op(StoreOp op) {
      ops.remove(op.path());
      ops.put(op.path(), op);
    }

    List<StoreOp> ops() {
      return List.copyOf(ops.values());
    }
  }

  /** Applies state effects to the model now and records their store operations; driver effects wait. */
  void apply(Batch b, List<Effect> effects) {
    for (Effect e : effects) {
      if (e instanceof Effect.PutApp put) {
        AppDefinition app = put.app();
        model.putApp(app);
        b.touched.add(app.id());
        byte[] data = app.toBytes();
        b.op(StoreOp.put(ServicePaths.app(app.id()), data));
        b.op(StoreOp.put(ServicePaths.appVersion(app.id(), app.version()), data));
        List<String> versions = model.versions(app.id());
        while (versions.size() > ServicePaths.MAX_VERSIONS) {
          String oldest = versions.get(0);
          model.dropVersion(app.id(), oldest);
          b.op(StoreOp.delete(ServicePaths.appVersion(app.id(), oldest)));
        }
      } else if (e instanceof Effect.RemoveApp remove) {
        model.removeApp(remove.appId());
        b.touched.add(remove.appId());
        b.op(StoreOp.delete(ServicePaths.app(remove.appId())));
        b.op(StoreOp.delete(ServicePaths.appVersions(remove.appId())));
        b.op(StoreOp.delete(ServicePaths.taskFailure(remove.appId())));
      } else if (e instanceof Effect.PutInstance put) {
        Instance before = model.instance(put.instance().id());
        model.putInstance(put.instance());
        b.touched.add(put.instance().appId());
        Instant unreachableSince = put.instance().unreachableSince();
        // armed once per stay: re-arming for each later change (its decommissioning) would re-plan again
        if (unreachableSince != null && (before == null || !unreachableSince.equals(before.unreachableSince()))) {
          scheduleUnreachableChecks(put.instance());
        }
        if (before == null || before.state() != put.instance().state()) {
          b.events.add(MarathonEvents.instanceChanged(put.instance(), put.instance().state(),
              model.app(put.instance().appId())));
        }
        if (written(before, put.instance())) {
          b.op(StoreOp.put(ServicePaths.instance(put.instance().id()), InstanceCodec.toBytes(put.instance())));
        }
      } else if (e instanceof Effect.ExpungeInstance expunge) {
        Instance gone = model.instance(expunge.instanceId());
        if (gone != null) {
          b.touched.add(gone.appId());
        }
        boolean unwritten = model.unwritten(expunge.instanceId());
        model.removeInstance(expunge.instanceId());
        if (!unwritten) {
          b.op(StoreOp.delete(ServicePaths.instance(expunge.instanceId())));
        }
      } else if (e instanceof Effect.RecordFailure failure) {
        model.putFailure(failure.failure());
        b.op(StoreOp.put(ServicePaths.taskFailure(failure.failure().appId()),
            InstanceCodec.failureToBytes(failure.failure())));
      } else if (e instanceof Effect.CountFailure count) {
        countFailure(count);
      } else if (e instanceof Effect.PutDeployment put) {
        model.putDeployment(put.deployment());
        b.op(StoreOp.put(ServicePaths.deployment(put.deployment().id()), put.deployment().toBytes()));
      } else if (e instanceof Effect.RemoveDeployment remove) {
        model.removeDeployment(remove.deploymentId());
        b.op(StoreOp.delete(ServicePaths.deployment(remove.deploymentId())));
      } else if (e instanceof Effect.PutGroup put) {
        model.putGroup(put.group());
        b.op(StoreOp.put(ServicePaths.group(put.group().id()), put.group().toBytes()));
      } else if (e instanceof Effect.RemoveGroup remove) {
        model.removeGroup(remove.groupId());
        b.op(StoreOp.delete(ServicePaths.group(remove.groupId())));
      } else if (e instanceof Effect.SaveFrameworkId save) {
        model.setFrameworkId(save.frameworkId());
        b.op(StoreOp.put(ServicePaths.FRAMEWORK_ID, save.frameworkId().getBytes(StandardCharsets.UTF_8)));
      } else {
        b.after.add(e);
      }
    }
  }

  /**
   * Whether a change of an instance is written to the store. Two kinds are not, since a recovery rebuilds them
   * anyway: a new instance waiting for its first place (recovery re-plans every app, creating the instances it
   * lacks; the placement is written before the launch), and STAGING becoming STARTING (the record says STAGING
   * until RUNNING or an end; reconciliation tells where each task is). They were half of a deployment's writes,
   * the first kind all at once as the app was posted.
   */
  private boolean written(Instance before, Instance after) {
    boolean unwritten = after.waitingFirstPlace() && (before == null || model.unwritten(after.id()));
    model.setUnwritten(after.id(), unwritten);
    boolean starting = before != null && before.state() == InstanceState.STAGING
        && after.state() == InstanceState.STARTING;
    return !unwritten && !starting;
  }

  /** Re-plans the app when the instance's unreachable time reaches the app's inactive and expunge times. */
  private void scheduleUnreachableChecks(Instance i) {
    AppDefinition app = model.app(i.appId());
    if (app == null || !app.unreachableStrategy().enabled()) {
      return;
    }
    Instant since = i.unreachableSince();
    for (double seconds : new double[] {app.unreachableStrategy().inactiveAfterSeconds(),
        app.unreachableStrategy().expungeAfterSeconds()}) {
      Duration delay = Duration.between(now(), since.plusMillis((long) (seconds * 1000)));
      loop.schedule("unreachable:" + seconds + ":" + i.id(), delay.isNegative() ? Duration.ZERO : delay,
          () -> replanSoon(i.appId()));
    }
  }

  /**
   * Re-plans the app once the loop has handled what is queued now: a burst of status updates of one app (the
   * re-registration of every agent after a failover, thousands of tasks failing at once) re-plans it once,
   * not once per update, since re-planning walks all its instances. Safe to defer: the plan is a function of
   * the model, and a recovering scheduler re-plans every app.
   */
  private void replanSoon(String appId) {
    if (replanQueued.add(appId)) {
      loop.execute(() -> {
        replanQueued.remove(appId);
        Batch b = new Batch();
        apply(b, replan(appId));
        commit(b);
      });
    }
  }

  private void countFailure(Effect.CountFailure count) {
    AppDefinition app = model.app(count.appId());
    if (app == null) {
      return;
    }
    Backoff next = model.backoff(app.id()).afterFailure(app, now(), count.ranFor());
    model.putBackoff(app.id(), next);
    log.info("app {}: {} consecutive task failure(s), next launch in {} ms", app.id(), next.failures(),
        next.delay().toMillis());
    // When the delay is over, the waiting instances may launch again: ask for offers then.
    loop.schedule("backoff:" + app.id(), next.delay(), this::updateOfferInterest);
  }

  /** Runs an API request's work (loop thread); the commits it makes are written ahead (see {@link #commit}). */
  public <T> T asApiRequest(java.util.function.Supplier<T> work) {
    loop.assertInLoop();
    servingApiRequest = true;
    try {
      return work.get();
    } finally {
      servingApiRequest = false;
    }
  }

  /**
   * Commits the batch; when durable, issues its driver effects, checks deployments and offer interest. The
   * returned future completes on the loop, after all that, or fails when the store refused the commit.
   */
  CompletableFuture<Void> commit(Batch b) {
    return commit(b, servingApiRequest);
  }

  /**
   * As {@link #commit}, but what follows the commit runs ahead of queued work: an offer round's launches,
   * which would otherwise wait behind every status update queued meanwhile (a hundred thousand of them
   * while agents re-register after a failover) with the offers held.
   */
  CompletableFuture<Void> commitThenUrgently(Batch b) {
    return commit(b, true);
  }

  private CompletableFuture<Void> commit(Batch b, boolean urgentAfter) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<StoreOp> ops = b.ops();
    if (ops.isEmpty()) {
      afterCommit(b);
      done.complete(null);
      publishEvents(b);
      return done;
    }
    CompletableFuture<Void> write;
    try {
      // Usually one commit; a batch too large for one store request goes in several (see CommitChunks).
      List<List<StoreOp>> chunks = CommitChunks.split(ops, CommitChunks.MAX_BYTES, CommitChunks.MAX_OPS);
      if (chunks.size() == 1) {
        // someone waits on an API write: it need not wait for the status updates queued before it
        write = servingApiRequest ? store.commitAhead(ops) : store.commit(ops);
      } else {
        List<CompletableFuture<Void>> writes = new ArrayList<>(chunks.size());
        for (List<StoreOp> chunk : chunks) {
          writes.add(store.commit(chunk));
        }
        write = CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]));
      }
    } catch (RuntimeException e) {
      write = CompletableFuture.failedFuture(e);
    }
    // An API request (or an offer round's launches) waits on its commit: what follows the commit runs ahead of
    // queued status updates too, or it would wait for the loop to work through the backlog after the store
    // already had it; an API request's, before the offer rounds' slices as well.
    Consumer<Runnable> then = servingApiRequest ? loop::executeFirst
        : urgentAfter ? loop::executeUrgent : loop::execute;
    write.whenComplete((v, err) -> then.accept(() -> {
      if (err != null) {
        // Unacknowledged statuses are resent by the agent; API callers get 503.
        log.error("store commit of {} operation(s) failed; memory is ahead of the store until restart", ops.size(),
            err);
        done.completeExceptionally(new CommandException(CommandException.Kind.UNAVAILABLE,
            "the state store did not accept the change: " + err.getMessage(), List.of()));
        return;
      }
      afterCommit(b);
      done.complete(null);
      publishEvents(b);
    }));
    return done;
  }

  /**
   * Publishes the batch's events, now durable. After the commit's own continuations have run, so that an API
   * write's api_post_event (published by one of them) comes before the instance changes it caused.
   */
  private void publishEvents(Batch b) {
    for (ObjectNode event : b.events) {
      events.publish(event);
    }
  }

  private void afterCommit(Batch b) {
    for (Effect e : b.after) {
      if (e instanceof Effect.Kill kill) {
        kill(kill);
      } else if (e instanceof Effect.Acknowledge ack) {
        if (!ack.status().getUuid().isEmpty() && driver != null) {
          driver.acknowledge(ack.status());
        }
      } else {
        throw new IllegalStateException("not a driver effect: " + e);
      }
    }
    deployments.check(b.touched);
    updateOfferInterest();
  }

  private void kill(Effect.Kill kill) {
    Instance i = model.instanceByTask(kill.taskId());
    if (driver != null && i != null && i.task() != null && i.task().isGroup()
        && kill.taskId().equals(i.task().taskId())) {
      // a pod instance's task group: kill each container's task that has not ended
      i.task().containers().stream().filter(c -> !c.terminal())
          .forEach(c -> driver.kill(c.taskId(), kill.agentId(), kill.gracePeriodSeconds()));
    } else if (driver != null) {
      driver.kill(kill.taskId(), kill.agentId(), kill.gracePeriodSeconds());
    }
    if (i != null) {
      // Kills can be lost (agent away, master failover): repeat until the task is reported terminal.
      loop.schedule("kill:" + kill.taskId(), KILL_RETRY, () -> retryKill(kill));
    }
  }

  private void retryKill(Effect.Kill kill) {
    Instance i = model.instanceByTask(kill.taskId());
    if (i != null && i.goal() != Goal.RUNNING && i.hasLiveTask() && subscribed) {
      log.info("task {} is still {} after a kill; killing again", kill.taskId(), i.state());
      kill(kill);
    } else if (i != null && i.goal() != Goal.RUNNING && i.hasLiveTask()) {
      loop.schedule("kill:" + kill.taskId(), KILL_RETRY, () -> retryKill(kill));
    }
  }

  // ---------------------------------------------------------------- reconciliation

  private void periodicReconcile() {
    if (subscribed) {
      reconcileAll();
    }
    loop.schedule("reconcile", RECONCILE_INTERVAL, this::periodicReconcile);
  }

  /**
   * Explicit reconciliation of every task we believe live (the master answers with its state, TASK_UNKNOWN
   * or TASK_GONE for those it lost), then implicit reconciliation, which reports tasks we do not know: they
   * are killed as they arrive.
   */
  private void reconcileAll() {
    if (driver == null) {
      return;
    }
    List<ReconcileTask> tasks = new ArrayList<>();
    for (Instance i : model.instances()) {
      if (i.hasLiveTask() && i.task().isGroup()) {
        i.task().containers().stream().filter(c -> !c.terminal()).forEach(c -> tasks.add(
            ReconcileTask.newBuilder().setTaskId(c.taskId()).setAgentId(i.task().agentId()).build()));
      } else if (i.hasLiveTask()) {
        tasks.add(ReconcileTask.newBuilder().setTaskId(i.task().taskId()).setAgentId(i.task().agentId()).build());
      }
    }
    if (!tasks.isEmpty()) {
      driver.reconcile(tasks);
    }
    driver.reconcile(List.of());
  }

  /** Stops talking to the master; timers that still fire find no driver and do nothing. */
  public void close() {
    loop.cancel("reconcile");
    subscribed = false;
    driver = null;
  }
}
