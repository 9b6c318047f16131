package dev.corral.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.common.EventLoop;
import dev.corral.common.ThreadEventLoop;
import dev.corral.scheduler.OnLoop;
import dev.corral.scheduler.Scheduler;
import dev.corral.scheduler.SchedulerDriver;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.engine.AppCommands;
import dev.corral.services.engine.CommandException;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.GroupCommands;
import dev.corral.services.engine.Engine;
import dev.corral.services.engine.Recovery;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.engine.ServiceTargets;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.engine.WriteResult;
import dev.corral.services.events.EventBus;
import dev.corral.services.events.MarathonEvents;
import dev.corral.services.events.RequestOrigin;
import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Marathon-compatible service scheduler: keeps apps' instances running on the cluster and serves the
 * state behind {@link MarathonApi}.
 *
 * <p>Life: {@link #start()} reads the stored state (framework id, apps, instances), then creates and starts
 * the driver, re-using the stored framework id so that running tasks stay ours; after it subscribes, the
 * scheduler reconciles every task it believes live. {@link #close()} stops the driver and leaves the tasks
 * running for the next leader.
 *
 * <p>Threading: all state lives on the given {@link EventLoop}. Driver callbacks arrive on the driver's thread
 * and are re-posted to the loop. The public command and query methods are thread-safe: they post to the loop
 * and return futures that complete off the loop (writes only once the store has the change).
 */
public final class ServiceScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceScheduler.class);

  /** A week, like Marathon's failover_timeout: how long the master keeps our tasks while we are away. */
  static final double FAILOVER_TIMEOUT_SECONDS = 604800;

  private final ServicesConfig config;
  private final Store store;
  private final EventLoop loop;
  private final BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory;
  private final Engine engine;
  private volatile SchedulerDriver driver;
  private volatile boolean closed;
  /**
   * Set once the recovery is queued (ahead of everything, see {@link #start}): API work queued ahead after it
   * runs after it, yet before the status updates that re-registering agents pour in meanwhile. Before, API
   * work queues in turn.
   */
  private volatile boolean recoveryQueued;
  private volatile boolean recoveredFromCopy;

  public ServiceScheduler(ServicesConfig config, Store store, EventLoop loop,
      BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory) {
    this(config, store, loop, driverFactory, new EventBus(loop.clock()));
  }

  /** With a given event bus (e.g. one with other limits). */
  public ServiceScheduler(ServicesConfig config, Store store, EventLoop loop,
      BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory, EventBus events) {
    this.config = config;
    this.store = store;
    this.loop = loop;
    this.driverFactory = driverFactory;
    this.engine = new Engine(config, store, loop, events);
  }

  /** The engine, for tests of this package that count its work. */
  Engine engine() {
    return engine;
  }

  /** Recovers the stored state (blocking reads), then creates and starts the driver. Call once. */
  public void start() {
    start(Optional::empty);
  }

  /**
   * As {@link #start()}, with the stored state as a standby already holds it
   * ({@link dev.corral.services.engine.ServicesMirror}); the store is read when {@code known} has nothing.
   */
  public void start(Supplier<Optional<Recovery.Recovered>> known) {
    if (driver != null) {
      throw new IllegalStateException("already started");
    }
    long readStart = System.nanoTime();
    Optional<Recovery.Recovered> copy = known.get();
    recoveredFromCopy = copy.isPresent();
    Recovery.Recovered recovered = copy.orElseGet(() -> Recovery.load(store));
    log.info("{} {} apps and {} instances in {} ms", copy.isPresent() ? "took over the standby's copy of"
        : "read from the store", recovered.apps().size(), recovered.instances().size(),
        (System.nanoTime() - readStart) / 1_000_000);
    // Urgent, as the driver's subscribed and offers callbacks are (OnLoop): none of them may run before it.
    loop.executeUrgent(() -> {
      long recoverStart = System.nanoTime();
      engine.recover(recovered);
      log.info("recovered {} in {} ms", engine.recoveredSummary(), (System.nanoTime() - recoverStart) / 1_000_000);
    });
    recoveryQueued = true;
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
        .setName(config.frameworkName())
        .setRole(config.role())
        .setUser(config.user())
        .setHostname(config.hostname())
        .setFailoverTimeoutSeconds(FAILOVER_TIMEOUT_SECONDS)
        .addCapabilities("GPU_RESOURCES")
        .setWebuiUrl("http://" + config.leaderAddress());
    if (!recovered.frameworkId().isEmpty()) {
      info.setFrameworkId(recovered.frameworkId());
    }
    SchedulerDriver d = driverFactory.apply(info.build(), new OnLoop(loop, engine));
    engine.setDriver(d);
    driver = d;
    // Callbacks are queued behind the recovery above, so the driver never meets an empty scheduler.
    d.start();
  }

  /**
   * Loads {@code state} into a throwaway engine backed by memory, on a loop of its own, as a take-over loads it
   * into the real one: a standby that does so now and then has that code compiled when it takes over (in a
   * JVM that had never run it, loading 100,000 instances took about a second). Nothing leaves the throwaway
   * engine: it has no driver, and its store is memory.
   */
  public static void rehearseRecovery(Recovery.Recovered state) throws InterruptedException {
    ThreadEventLoop rehearsal = new ThreadEventLoop("services-rehearsal", Clock.systemUTC());
    try {
      Engine throwaway = new Engine(ServicesConfig.defaults("rehearsal", "rehearsal:0"), new MemoryStore(),
          rehearsal);
      CompletableFuture<Void> done = new CompletableFuture<>();
      rehearsal.execute(() -> {
        try {
          throwaway.recover(state);
          done.complete(null);
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      });
      done.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("rehearsing a recovery failed", e.getCause());
    } finally {
      rehearsal.shutdown();
    }
  }

  /** Whether {@link #start} took the stored state from a standby's copy rather than reading the store. */
  public boolean recoveredFromCopy() {
    return recoveredFromCopy;
  }

  /** Stops the driver; tasks keep running and are picked up by the next scheduler on the same store. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.execute(engine::close);
    SchedulerDriver d = driver;
    if (d != null) {
      d.close();
    }
  }

  public ServicesConfig config() {
    return config;
  }

  /** Marathon's event bus ({@code /v2/events}); thread-safe. */
  public EventBus events() {
    return engine.events();
  }

  // ---------------------------------------------------------------- queries and commands (thread-safe)

  /** A consistent snapshot of apps, instances, queue and deployments. */
  public CompletableFuture<ServicesView> view() {
    return onLoop(() -> CompletableFuture.completedFuture(engine.view()));
  }

  /** {@link #view()} narrowed to the given apps (see {@link Engine#view(java.util.Collection)}). */
  public CompletableFuture<ServicesView> view(java.util.Collection<String> appIds) {
    return onLoop(() -> CompletableFuture.completedFuture(engine.view(appIds)));
  }

  /** The apps with instances waiting for offers, narrowed as {@link #view(java.util.Collection)}: the queue. */
  public CompletableFuture<ServicesView> queueView() {
    return onLoop(() -> CompletableFuture.completedFuture(engine.queueView()));
  }

  /** The tasks behind {@code /service/<name>/}: a narrow query, so the proxy need not copy the whole view. */
  public CompletableFuture<ServiceTargets> serviceTargets(String name) {
    ServiceTargets published = closed ? null : engine.publishedServiceTargets(name);
    if (published != null) {
      return CompletableFuture.completedFuture(published);
    }
    return onLoop(() -> CompletableFuture.completedFuture(engine.serviceTargets(name)));
  }

  /**
   * The app or pod id a task belongs to, when it is a task of this scheduler's framework: for authorisation
   * per app of a task's logs, files and exec. A narrow query, as {@link #serviceTargets}.
   */
  public CompletableFuture<Optional<String>> runSpecOfTask(String frameworkId, String taskId) {
    return onLoop(() -> CompletableFuture.completedFuture(engine.runSpecOfTask(frameworkId, taskId)));
  }

  public CompletableFuture<WriteResult> createApp(ObjectNode body) {
    return createApp(body, false, null);
  }

  public CompletableFuture<WriteResult> createApp(ObjectNode body, RequestOrigin origin) {
    return createApp(body, false, origin);
  }

  /**
   * POST /v2/apps.
   *
   * @param force cancel deployments that still change the app (otherwise such a write is refused)
   * @param origin the API request, reported by an {@code api_post_event}; null for none
   */
  public CompletableFuture<WriteResult> createApp(ObjectNode body, boolean force, RequestOrigin origin) {
    return command(c -> announced(c.create(body, force), origin, false));
  }

  /** Partial update (Marathon 1.5 PUT); creates the app when it does not exist. */
  public CompletableFuture<WriteResult> updateApp(String appId, ObjectNode body) {
    return updateApp(appId, body, true, false, null);
  }

  public CompletableFuture<WriteResult> updateApp(String appId, ObjectNode body, RequestOrigin origin) {
    return updateApp(appId, body, true, false, origin);
  }

  /**
   * PUT/PATCH of one app. A body that names only a {@code version} (and perhaps the id) goes back to that
   * stored version (read here, off the loop); otherwise {@code partial} merges the body into the current
   * definition and a full update replaces it. {@code origin} as for {@link #createApp(ObjectNode, boolean,
   * RequestOrigin)}.
   */
  public CompletableFuture<WriteResult> updateApp(String appId, ObjectNode body, boolean partial, boolean force,
      RequestOrigin origin) {
    if (isRevert(body)) {
      String version = body.get("version").asText();
      Optional<AppDefinition> stored = appVersion(appId, version);
      if (stored.isEmpty()) {
        return CompletableFuture.failedFuture(CommandException.notFound(
            "Version '" + version + "' of app '" + appId + "' does not exist"));
      }
      return command(c -> announced(c.revert(appId, stored.get(), force), origin, false));
    }
    return command(c -> announced(c.update(appId, body, partial, force), origin, false));
  }

  /** PUT/PATCH /v2/apps with a list of apps: one deployment for all. */
  public CompletableFuture<WriteResult> updateApps(List<ObjectNode> bodies, boolean partial, boolean force,
      RequestOrigin origin) {
    return command(c -> announced(c.updateAll(bodies, partial, force), origin, false));
  }

  public CompletableFuture<WriteResult> deleteApp(String appId) {
    return deleteApp(appId, false, null);
  }

  /** DELETE /v2/apps/{id}; {@code origin} as for {@link #createApp(ObjectNode, boolean, RequestOrigin)}. */
  public CompletableFuture<WriteResult> deleteApp(String appId, boolean force, RequestOrigin origin) {
    return command(c -> announced(c.delete(appId, force), origin, true));
  }

  public CompletableFuture<WriteResult> restartApp(String appId, boolean force) {
    return command(c -> c.restart(appId, force));
  }

  public CompletableFuture<WriteResult> killTasks(String appId, Set<String> taskIds, String host, boolean scale) {
    return killTasks(appId, taskIds, host, scale, false, false);
  }

  /**
   * Kills tasks of an app: those named, or (with {@code taskIds} null) all of them, or all on {@code host}.
   *
   * @param scale whether the app's instance count drops accordingly; otherwise the tasks are replaced
   * @param wipe for a resident app: its instances' persistent volumes are destroyed and their resources
   *     unreserved (replacements get new ones); without it a killed task is relaunched on its volumes, or, with
   *     {@code scale}, its instance keeps them for a later scale-up
   */
  public CompletableFuture<WriteResult> killTasks(String appId, Set<String> taskIds, String host, boolean scale,
      boolean force, boolean wipe) {
    return command(c -> c.killTasks(appId, taskIds, host, scale, force, wipe));
  }

  /**
   * DELETE /v2/deployments/{id}: rolls the deployment's apps back to their versions before it (a new
   * deployment), or with {@code force} only cancels it. The result is null when only cancelled.
   */
  public CompletableFuture<WriteResult> stopDeployment(String deploymentId, boolean force) {
    if (force) {
      return command(c -> c.cancel(deploymentId).thenApply(v -> null));
    }
    return view().thenCompose(v -> {
      Deployment d = v.deployments().get(deploymentId);
      if (d == null) {
        return CompletableFuture.failedFuture(CommandException.notFound(
            "DeploymentPlan " + deploymentId + " does not exist"));
      }
      // The versions before the deployment live only in the store: read them here, not on the loop.
      Map<String, AppDefinition> originals = new HashMap<>();
      d.originalVersions().forEach((appId, version) -> {
        if (!version.isEmpty()) {
          appVersion(appId, version).ifPresent(app -> originals.put(appId, app));
        }
      });
      return command(c -> c.rollback(deploymentId, originals));
    });
  }

  // ---------------------------------------------------------------- pods

  /** POST /v2/pods. */
  public CompletableFuture<WriteResult> createPod(ObjectNode body, boolean force) {
    return onLoop(() -> engine.podCommands().create(body, force));
  }

  /** PUT /v2/pods/{id}: a whole new definition, or (a body naming only a version) back to a stored version. */
  public CompletableFuture<WriteResult> updatePod(String podId, ObjectNode body, boolean force) {
    if (isRevert(body)) {
      String version = body.get("version").asText();
      Optional<AppDefinition> stored = appVersion(podId, version).filter(AppDefinition::isPod);
      if (stored.isEmpty()) {
        return CompletableFuture.failedFuture(CommandException.notFound(
            "Version '" + version + "' of pod '" + podId + "' does not exist"));
      }
      return onLoop(() -> engine.podCommands().revert(podId, stored.get(), force));
    }
    return onLoop(() -> engine.podCommands().update(podId, body, force));
  }

  /** DELETE /v2/pods/{id}. */
  public CompletableFuture<WriteResult> deletePod(String podId, boolean force) {
    return onLoop(() -> engine.podCommands().delete(podId, force));
  }

  /**
   * DELETE /v2/pods/{id}::instances[/{instanceId}]: the instances (all when null) are killed and replaced; a
   * resident instance relaunches on its volumes, unless {@code wipe} destroys them (its replacement gets new ones).
   */
  public CompletableFuture<WriteResult> killPodInstances(String podId, Set<String> instanceIds, boolean wipe) {
    return onLoop(() -> engine.podCommands().killInstances(podId, instanceIds, wipe));
  }

  // ---------------------------------------------------------------- groups

  /** POST /v2/groups[/{parent}]. */
  public CompletableFuture<GroupCommands.Result> createGroup(String parent, ObjectNode body, boolean force) {
    return onLoop(() -> engine.groupCommands().create(parent, body, force));
  }

  /**
   * PUT /v2/groups/{id}: new content, {@code scaleBy}, or (a body naming only a version) every app back to
   * that version, read here from the store.
   */
  public CompletableFuture<GroupCommands.Result> updateGroup(String groupId, ObjectNode body, boolean force,
      boolean dryRun) {
    if (isRevert(body)) {
      String version = body.get("version").asText();
      return groupAtVersion(groupId, version)
          .thenCompose(apps -> onLoop(() -> engine.groupCommands().revert(groupId, apps, force)));
    }
    return onLoop(() -> engine.groupCommands().update(groupId, body, force, dryRun));
  }

  public CompletableFuture<GroupCommands.Result> deleteGroup(String groupId, boolean force) {
    return onLoop(() -> engine.groupCommands().delete(groupId, force));
  }

  /**
   * The apps of a group as they were at {@code version}: for each app now in the group, its newest stored
   * version not after it (apps created later are absent; apps deleted since are not known any more).
   */
  public CompletableFuture<Map<String, AppDefinition>> groupAtVersion(String groupId, String version) {
    return view().thenApply(v -> {
      String prefix = groupId.equals("/") ? "/" : AppIds.canonical(groupId) + "/";
      Map<String, AppDefinition> out = new java.util.TreeMap<>();
      v.versions().forEach((appId, versions) -> {
        if (!appId.startsWith(prefix)) {
          return;
        }
        String best = null;
        for (String candidate : versions) {
          if (candidate.compareTo(version) <= 0 && (best == null || candidate.compareTo(best) > 0)) {
            best = candidate;
          }
        }
        if (best != null) {
          appVersion(appId, best).ifPresent(app -> out.put(appId, app));
        }
      });
      return out;
    });
  }

  private static boolean isRevert(ObjectNode body) {
    if (!body.path("version").isTextual()) {
      return false;
    }
    for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("version") && !field.equals("id")) {
        return false;
      }
    }
    return true;
  }

  /** DELETE /v2/queue/{appId}/delay: ends the app's launch backoff; fails NOT_FOUND when it has nothing queued. */
  public CompletableFuture<Void> resetDelay(String appId) {
    return onLoop(() -> engine.queue().resetDelay(appId));
  }

  /** A stored version of an app; read from the store (it is not kept in memory). */
  public Optional<AppDefinition> appVersion(String appId, String version) {
    try {
      return store.get(ServicePaths.appVersion(AppIds.canonical(appId), version)).map(AppDefinition::fromBytes);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Publishes the events of an app write as its commit completes, on the loop: before any task launch or
   * status it leads to, so the stream shows them in that order. An {@code api_post_event} for a write from the
   * API; an {@code app_terminated_event} for a delete.
   */
  private CompletableFuture<WriteResult> announced(CompletableFuture<WriteResult> write, RequestOrigin origin,
      boolean deleted) {
    return write.whenComplete((r, err) -> {
      if (err != null) {
        return;
      }
      if (origin != null) {
        engine.events().publish(MarathonEvents.apiPost(r.app(), origin));
      }
      if (deleted) {
        engine.events().publish(MarathonEvents.appTerminated(r.app().id()));
      }
    });
  }

  private <T> CompletableFuture<T> command(Function<AppCommands, CompletableFuture<T>> work) {
    return onLoop(() -> work.apply(engine.commands()));
  }

  /**
   * Runs an API request's work on the loop before other queued work, offer rounds included (someone waits on
   * it); while a recovery is queued, after it. The returned future completes off the loop thread (see
   * EventLoop#callAsync).
   */
  private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> work) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the service scheduler is closed"));
    }
    Supplier<CompletableFuture<T>> request = () -> engine.asApiRequest(work);
    return recoveryQueued ? loop.callAsyncUrgent(request) : loop.callAsyncFirst(request);
  }
}
