package dev.corral.jobs;

import dev.corral.api.v1.FrameworkInfo;
import dev.corral.common.EventLoop;
import dev.corral.jobs.engine.JobEngine;
import dev.corral.jobs.engine.JobsView;
import dev.corral.scheduler.OnLoop;
import dev.corral.scheduler.Scheduler;
import dev.corral.scheduler.SchedulerDriver;
import dev.corral.state.Store;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The Metronome-compatible job scheduler: a framework of its own (name "metronome") that runs jobs now or on
 * cron schedules and serves {@link MetronomeApi}.
 *
 * <p>Life: {@link #start()} reads the stored state, then starts the driver with the stored framework id so
 * that live runs' tasks stay ours; after subscribing it reconciles them. {@link #close()} stops the driver
 * and leaves tasks running for the next leader.
 *
 * <p>Threading: state lives on the given {@link EventLoop}; driver callbacks are re-posted to it. The public
 * methods are thread-safe and return futures that complete off the loop, writes once the store has them.
 */
public final class JobScheduler implements AutoCloseable {
  /** A week, like Metronome's: how long the master keeps our tasks while we are away. */
  static final double FAILOVER_TIMEOUT_SECONDS = 604800;

  private final JobsConfig config;
  private final Store store;
  private final EventLoop loop;
  private final BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory;
  private final JobEngine engine;
  private volatile SchedulerDriver driver;
  private volatile boolean closed;

  public JobScheduler(JobsConfig config, Store store, EventLoop loop,
      BiFunction<FrameworkInfo, Scheduler, SchedulerDriver> driverFactory) {
    this.config = config;
    this.store = store;
    this.loop = loop;
    this.driverFactory = driverFactory;
    this.engine = new JobEngine(store, loop, config.user());
  }

  /** Recovers the stored state (blocking reads), then creates and starts the driver. Call once. */
  public void start() {
    if (driver != null) {
      throw new IllegalStateException("already started");
    }
    JobEngine.Recovered recovered = JobEngine.load(store);
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
        .setName(config.frameworkName())
        .setRole(config.role())
        .setUser(config.user())
        .setHostname(config.hostname())
        .setFailoverTimeoutSeconds(FAILOVER_TIMEOUT_SECONDS)
        .addCapabilities("GPU_RESOURCES");
    if (!recovered.frameworkId().isEmpty()) {
      info.setFrameworkId(recovered.frameworkId());
    }
    SchedulerDriver d = driverFactory.apply(info.build(), new OnLoop(loop, engine));
    engine.setDriver(d);
    driver = d;
    // Urgent, as the driver's subscribed and offers callbacks are (OnLoop): none of them may run before it.
    loop.executeUrgent(() -> engine.recover(recovered));
    // Callbacks queue behind the recovery above.
    d.start();
  }

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

  public CompletableFuture<JobsView> view() {
    return onLoop(e -> CompletableFuture.completedFuture(e.view()));
  }

  /** Runs a command on the loop; the future completes off the loop thread (see EventLoop#callAsync). */
  public <T> CompletableFuture<T> onLoop(Function<JobEngine, CompletableFuture<T>> work) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the job scheduler is closed"));
    }
    return loop.callAsync(() -> work.apply(engine));
  }
}
