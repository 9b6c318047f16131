package dev.corral.common;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@link EventLoop} on one daemon thread. Work that throws is logged and the loop goes on. */
public final class ThreadEventLoop implements EventLoop {
  private static final Logger log = LoggerFactory.getLogger(ThreadEventLoop.class);

  private final ScheduledThreadPoolExecutor executor;
  private final Clock clock;
  private final Map<String, ScheduledFuture<?>> tagged = new HashMap<>(); // guarded by itself
  private volatile Thread thread;

  public ThreadEventLoop(String name, Clock clock) {
    this.clock = clock;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      thread = t;
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable work) {
    if (!executor.isShutdown()) {
      executor.execute(() -> runSafely(work));
    }
  }

  @Override
  public void schedule(String tag, Duration delay, Runnable work) {
    if (executor.isShutdown()) {
      return;
    }
    if (tag == null) {
      executor.schedule(() -> runSafely(work), delay.toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    synchronized (tagged) {
      ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
      ScheduledFuture<?> future = executor.schedule(() -> {
        synchronized (tagged) {
          if (tagged.get(tag) == self[0]) {
            tagged.remove(tag);
          }
        }
        runSafely(work);
      }, delay.toNanos(), TimeUnit.NANOSECONDS);
      self[0] = future;
      ScheduledFuture<?> previous = tagged.put(tag, future);
      if (previous != null) {
        previous.cancel(false);
      }
    }
  }

  @Override
  public boolean scheduleIfAbsent(String tag, Duration delay, Runnable work) {
    synchronized (tagged) {
      if (tagged.containsKey(tag)) {
        return false;
      }
      schedule(tag, delay, work);
      return true;
    }
  }

  @Override
  public void cancel(String tag) {
    synchronized (tagged) {
      ScheduledFuture<?> previous = tagged.remove(tag);
      if (previous != null) {
        previous.cancel(false);
      }
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void shutdown() {
    executor.shutdownNow();
  }

  private static void runSafely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      log.error("event loop work failed", e);
    }
  }
}
