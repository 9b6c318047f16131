package dev.corral.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * An {@link EventLoop} for tests: nothing runs until the test calls {@link #runPending()} or
 * {@link #advance(Duration)}, which also moves the {@link FakeClock} and runs deferred work that fell due.
 * Everything runs on the calling thread, which counts as the loop thread.
 *
 * <p>Order as in {@link ThreadEventLoop}: one queue by time, then submission; work to do now is queued at the
 * clock's time, so deferred work that fell due earlier runs before it, even when that work was queued first.
 */
public final class ManualEventLoop implements EventLoop {
  /** Work queued to run at {@code due}: now for {@link #execute}, later for {@link #schedule}. */
  private record Queued(long seq, Instant due, String tag, Runnable work) {}

  private final FakeClock clock;
  private final PriorityQueue<Queued> queue =
      new PriorityQueue<>(Comparator.comparing(Queued::due).thenComparingLong(Queued::seq));
  private final Map<String, Queued> byTag = new HashMap<>();
  private long seq;

  public ManualEventLoop(FakeClock clock) {
    this.clock = clock;
  }

  public ManualEventLoop() {
    this(new FakeClock());
  }

  @Override
  public synchronized void execute(Runnable work) {
    queue.add(new Queued(seq++, clock.instant(), null, work));
  }

  @Override
  public synchronized void schedule(String tag, Duration delay, Runnable work) {
    Queued d = new Queued(seq++, clock.instant().plus(delay), tag, work);
    if (tag != null) {
      Queued previous = byTag.put(tag, d);
      if (previous != null) {
        queue.remove(previous);
      }
    }
    queue.add(d);
  }

  @Override
  public synchronized boolean scheduleIfAbsent(String tag, Duration delay, Runnable work) {
    if (byTag.containsKey(tag)) {
      return false;
    }
    schedule(tag, delay, work);
    return true;
  }

  @Override
  public synchronized void cancel(String tag) {
    Queued previous = byTag.remove(tag);
    if (previous != null) {
      queue.remove(previous);
    }
  }

  /** Whether any work with this tag is deferred. */
  public synchronized boolean isScheduled(String tag) {
    return byTag.containsKey(tag);
  }

  @Override
  public FakeClock clock() {
    return clock;
  }

  @Override
  public boolean inLoop() {
    return true;
  }

  @Override
  public void shutdown() {}

  /** Runs work that is due (and work it queues) until none is left. */
  public void runPending() {
    while (runNext()) {
      // until nothing is due
    }
  }

  /** Runs the first piece of due work, if any; returns whether there was one. */
  public boolean runNext() {
    Queued next;
    synchronized (this) {
      next = queue.peek();
      if (next == null || next.due().isAfter(clock.instant())) {
        return false;
      }
      queue.poll();
      if (next.tag() != null) {
        byTag.remove(next.tag(), next);
      }
    }
    next.work().run();
    return true;
  }

  /** Moves the clock forward step by step through every due deferral, running work as it falls due. */
  public void advance(Duration by) {
    Instant end = clock.instant().plus(by);
    runPending();
    while (true) {
      Instant nextDue;
      synchronized (this) {
        Queued d = queue.peek();
        nextDue = d == null ? null : d.due();
      }
      if (nextDue == null || nextDue.isAfter(end)) {
        break;
      }
      if (nextDue.isAfter(clock.instant())) {
        clock.set(nextDue);
      }
      runPending();
    }
    clock.set(end);
    runPending();
  }
}
