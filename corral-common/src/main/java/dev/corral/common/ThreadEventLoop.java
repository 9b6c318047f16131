package dev.corral.common;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
  /** Urgent work runs at most this many items before each ordinary one. */
  private static final int URGENT_PER_ITEM = 16;

  /** Shared by every loop: only hands due urgent work to its loop. */
  private static final ScheduledThreadPoolExecutor URGENT_TIMERS = urgentTimers();

  private final Map<String, ScheduledFuture<?>> tagged = new HashMap<>(); // guarded by itself
  private final Queue<Runnable> urgent = new ConcurrentLinkedQueue<>();
  private final Queue<Runnable> first = new ConcurrentLinkedQueue<>();
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
      executor.execute(() -> run(work));
    }
  }

  /**
   * Queued aside and run before the next ordinary item. Each urgent item also queues a ticket among the
   * ordinary work, so an idle loop runs it at once; a ticket whose item already ran does nothing.
   */
  @Override
  public void executeUrgent(Runnable work) {
    if (!executor.isShutdown()) {
      urgent.add(work);
      executor.execute(() -> runUrgent(1));
    }
  }

  /** Queued aside and run before the next urgent or ordinary item, with a ticket as for urgent work. */
  @Override
  public void executeFirst(Runnable work) {
    if (!executor.isShutdown()) {
      first.add(work);
      executor.execute(this::runFirst);
    }
  }

  /** Runs ordinary work after up to {@link #URGENT_PER_ITEM} urgent items: a flood of them cannot starve it. */
  private void run(Runnable work) {
    runUrgent(URGENT_PER_ITEM);
    runFirst();
    runSafely(work);
  }

  private void runUrgent(int max) {
    Runnable next;
    for (int i = 0; i < max; i++) {
      runFirst();
      if ((next = urgent.poll()) == null) {
        return;
      }
      runSafely(next);
    }
  }

  private void runFirst() {
    Runnable next;
    while ((next = first.poll()) != null) {
      runSafely(next);
    }
  }

  @Override
  public void schedule(String tag, Duration delay, Runnable work) {
    schedule(tag, delay, work, false);
  }

  /**
   * Urgent timers wait on {@link #URGENT_TIMERS}, not among the loop's own work: there a due timer would still
   * run only after everything queued before it fell due.
   */
  private void schedule(String tag, Duration delay, Runnable work, boolean urgentWhenDue) {
    if (executor.isShutdown()) {
      return;
    }
    if (tag == null) {
      executor.schedule(() -> run(work), delay.toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    synchronized (tagged) {
      ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
      Runnable due = () -> {
        synchronized (tagged) {
          if (tagged.get(tag) == self[0]) {
            tagged.remove(tag);
          }
        }
        if (urgentWhenDue) {
          executeUrgent(work);
        } else {
          run(work);
        }
      };
      ScheduledFuture<?> future = urgentWhenDue
          ? URGENT_TIMERS.schedule(due, delay.toNanos(), TimeUnit.NANOSECONDS)
          : executor.schedule(due, delay.toNanos(), TimeUnit.NANOSECONDS);
      self[0] = future;
      ScheduledFuture<?> previous = tagged.put(tag, future);
      if (previous != null) {
        previous.cancel(false);
      }
    }
  }

  @Override
  public boolean scheduleIfAbsent(String tag, Duration delay, Runnable work) {
    return scheduleIfAbsent(tag, delay, work, false);
  }

  @Override
  public boolean scheduleUrgentIfAbsent(String tag, Duration delay, Runnable work) {
    return scheduleIfAbsent(tag, delay, work, true);
  }

  private boolean scheduleIfAbsent(String tag, Duration delay, Runnable work, boolean urgentWhenDue) {
    synchronized (tagged) {
      if (tagged.containsKey(tag)) {
        return false;
      }
      schedule(tag, delay, work, urgentWhenDue);
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

  private static ScheduledThreadPoolExecutor urgentTimers() {
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "event-loop-urgent-timers");
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
    return timers;
  }

  private static void runSafely(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      log.error("event loop work failed", e);
    }
  }
}
