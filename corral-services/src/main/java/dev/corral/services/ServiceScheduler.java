package dev.corral.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.EventLoop;
import dev.corral.scheduler.Scheduler;
import dev.corral.scheduler.SchedulerDriver;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.engine.AppCommands;
import dev.corral.services.engine.Engine;
import dev.corral.services.engine.Recovery;
import dev.corral.services.engine.ServicePaths;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.engine.WriteResult;
import dev.corral.state.Store;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

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
  /** A week, like Marathon's failover_timeout: how long the master keeps our tasks while we are away. */
  static final double FAILOVER_TIMEOUT_SECONDS = 604800;

  private final ServicesConfig config;
  private final Store store;
  private final EventLoop loop;
  private final BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory;
  private final Engine engine;
  private volatile SchedulerDriver driver;
  private volatile boolean closed;

  public ServiceScheduler(ServicesConfig config, Store store, EventLoop loop,
      BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory) {
    this.config = config;
    this.store = store;
    this.loop = loop;
    this.driverFactory = driverFactory;
    this.engine = new Engine(config, store, loop);
  }

  /** Recovers the stored state (blocking reads), then creates and starts the driver. Call once. */
  public void start() {
    if (driver != null) {
      throw new IllegalStateException("already started");
    }
    Recovery.Recovered recovered = Recovery.load(store);
    loop.execute(() -> engine.recover(recovered));
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
    SchedulerDriver d = driverFactory.apply(info.build(), new Callbacks());
    engine.setDriver(d);
    driver = d;
    // Callbacks are queued behind the recovery above, so the driver never sees an empty scheduler.
    d.start();
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

  // ---------------------------------------------------------------- queries and commands (thread-safe)

  /** A consistent snapshot of apps, instances, queue and deployments. */
  public CompletableFuture<ServicesView> view() {
    return onLoop(() -> CompletableFuture.completedFuture(engine.view()));
  }

  public CompletableFuture<WriteResult> createApp(ObjectNode body) {
    return command(c -> c.create(body));
  }

  /** Partial update (Marathon 1.5 PUT); creates the app when it does not exist. */
  public CompletableFuture<WriteResult> updateApp(String appId, ObjectNode body) {
    return command(c -> c.update(appId, body));
  }

  public CompletableFuture<WriteResult> deleteApp(String appId) {
    return command(c -> c.delete(appId));
  }

  public CompletableFuture<WriteResult> restartApp(String appId) {
    return command(c -> c.restart(appId));
  }

  /**
   * Kills tasks of an app: those named, or (with {@code taskIds} null) all of them, or all on {@code host}.
   *
   * @param scale whether the app's instance count drops accordingly; otherwise the tasks are replaced
   */
  public CompletableFuture<WriteResult> killTasks(String appId, Set<String> taskIds, String host, boolean scale) {
    return command(c -> c.killTasks(appId, taskIds, host, scale));
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

  private <T> CompletableFuture<T> command(Function<AppCommands, CompletableFuture<T>> work) {
    return onLoop(() -> work.apply(engine.commands()));
  }

  /** Runs work on the loop; the returned future completes on the common pool, never on the loop thread. */
  private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException("the service scheduler is closed"));
      return result;
    }
    loop.execute(() -> {
      CompletableFuture<T> f;
      try {
        f = work.get();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenCompleteAsync((v, err) -> {
        if (err != null) {
          result.completeExceptionally(err instanceof CompletionException && err.getCause() != null
              ? err.getCause() : err);
        } else {
          result.complete(v);
        }
      }, ForkJoinPool.commonPool());
    });
    return result;
  }

  /** Driver callbacks: each is re-posted to the loop and returns at once. */
  private final class Callbacks implements Scheduler {
    @Override
    public void subscribed(String frameworkId) {
      loop.execute(() -> engine.subscribed(frameworkId));
    }

    @Override
    public void offers(List<Offer> offers) {
      List<Offer> copy = List.copyOf(offers);
      loop.execute(() -> engine.offers(copy));
    }

    @Override
    public void rescinded(String offerId) {
      loop.execute(() -> engine.rescinded(offerId));
    }

    @Override
    public void update(TaskStatus status) {
      loop.execute(() -> engine.update(status));
    }

    @Override
    public void failure(String agentId, String message) {
      loop.execute(() -> engine.failure(agentId, message));
    }

    @Override
    public void disconnected(String reason) {
      loop.execute(() -> engine.disconnected(reason));
    }
  }
}
