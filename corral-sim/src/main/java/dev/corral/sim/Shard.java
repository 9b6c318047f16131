package dev.corral.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that runs a slice of the fleet: it owns those agents' state, receives their gRPC callbacks
 * (the streams are opened with this shard as their executor), and ticks every {@link #TICK} to send the
 * heartbeats and resends that fall due. Thousands of agents share one shard, so the fleet costs a few
 * threads however large it is.
 */
final class Shard implements Executor {
  static final Duration TICK = Duration.ofMillis(100);

  private final ScheduledThreadPoolExecutor executor;
  private final List<SimAgent> agents = new ArrayList<>();
  private final SplittableRandom random;
  private volatile Thread thread;

  Shard(int index, long seed) {
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "sim-agents-" + index);
      t.setDaemon(true);
      thread = t;
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    this.random = new SplittableRandom(seed);
  }

  /** Adds an agent before {@link #start}. */
  void add(SimAgent agent) {
    agents.add(agent);
  }

  void start() {
    executor.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void execute(Runnable work) {
    try {
      executor.execute(() -> runSafely(work));
    } catch (RejectedExecutionException e) {
      // the fleet is closed: nothing is left to tell the agents
    }
  }

  /** Runs {@code work} on this shard after {@code delay}; null when the fleet is closed. */
  ScheduledFuture<?> schedule(Duration delay, Runnable work) {
    try {
      return executor.schedule(() -> runSafely(work), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  void assertInShard() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("simulated agent state touched off its shard thread: "
          + Thread.currentThread().getName());
    }
  }

  /** A fresh update uuid; a seeded generator is far cheaper than {@link UUID#randomUUID}. */
  String uuid() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  void shutdown() {
    executor.shutdownNow();
  }

  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    for (SimAgent agent : agents) {
      runSafely(() -> agent.tick(now));
    }
  }

  /** A failure in one agent's work must not kill the shard's thread or its periodic tick. */
  private static void runSafely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      Thread t = Thread.currentThread();
      t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }
  }
}
