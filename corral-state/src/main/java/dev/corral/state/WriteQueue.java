package dev.corral.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Commits waiting for a store's writer, in two lanes: commits someone waits on (API writes) that may pass
 * the others, and everything else in order. A commit offered {@code ahead} goes to the ahead lane only when it
 * shares no node with any commit queued in order before it (no path equal to one of theirs, above one or
 * below one); otherwise it queues in order like the rest, so that no write to a node ever overtakes an
 * earlier write to that node or to a subtree holding it. Within each lane the order is kept, and the ahead
 * lane is taken first.
 *
 * <p>Why: during a large deployment thousands of status updates wait to be written, and an API write behind
 * them waited for all of them (its caller saw the latency of the whole backlog). A status update written later
 * than a non-overlapping API write leaves the store as it would be had the update come later, which an
 * update may always do. Thread-safe; bounded.
 */
final class WriteQueue<P extends WriteQueue.Commit> {
  /** What the queue needs to know of a commit: the paths it writes or deletes. */
  interface Commit {
    List<StoreOp> ops();
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<P> ahead = new ArrayDeque<>();
  private final ArrayDeque<P> inOrder = new ArrayDeque<>();
  /** Paths of the ops in the in-order lane, counted. */
  private final Map<String, Integer> queuedPaths = new HashMap<>();
  /** For each path, how many ops in the in-order lane lie strictly below it. */
  private final Map<String, Integer> queuedBelow = new HashMap<>();
  private final int capacity;
  private int size;

  WriteQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Queues a commit; false when the queue is full. */
  boolean offer(P commit, boolean wantsAhead) {
    lock.lock();
    try {
      if (size >= capacity) {
        return false;
      }
      if (wantsAhead && !overlapsInOrder(commit)) {
        ahead.addLast(commit);
      } else {
        inOrder.addLast(commit);
        index(commit, 1);
      }
      size++;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Commits queued, both lanes. */
  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** The next commit, waiting up to {@code timeout} for one; null when none came. */
  P poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (size == 0) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return take();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next batch for one write, waiting up to {@code timeout} for its first commit; empty when none came.
   * Commits of one lane only: a batch of ahead commits is written on its own, so that those waiting on it do
   * not also wait for a multi of thousands of queued updates. Stops before {@code maxOps} or {@code maxBytes}
   * would be passed (by {@code bytes} of each commit), but always takes at least one commit.
   */
  List<P> takeBatch(long timeout, TimeUnit unit, int maxOps, int maxBytes, ToIntFunction<P> bytes)
      throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (size == 0) {
        if (nanos <= 0) {
          return List.of();
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      boolean fromAhead = !ahead.isEmpty();
      ArrayDeque<P> lane = fromAhead ? ahead : inOrder;
      List<P> batch = new ArrayList<>();
      int ops = 0;
      int total = 0;
      P next;
      while ((next = lane.peekFirst()) != null && (batch.isEmpty()
          || (ops + next.ops().size() <= maxOps && total + bytes.applyAsInt(next) <= maxBytes))) {
        lane.pollFirst();
        size--;
        if (!fromAhead) {
          index(next, -1);
        }
        batch.add(next);
        ops += next.ops().size();
        total += bytes.applyAsInt(next);
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** The next commit if one is queued, else null. */
  P poll() {
    lock.lock();
    try {
      return size == 0 ? null : take();
    } finally {
      lock.unlock();
    }
  }

  /** Takes every queued commit out, in the order they would have been written. */
  List<P> drain() {
    List<P> out = new ArrayList<>();
    P p;
    while ((p = poll()) != null) {
      out.add(p);
    }
    return out;
  }

  private P take() {
    size--;
    P next = ahead.pollFirst();
    if (next == null) {
      next = inOrder.pollFirst();
      index(next, -1);
    }
    return next;
  }

  private boolean overlapsInOrder(P commit) {
    for (StoreOp op : commit.ops()) {
      String path = op.path();
      if (queuedPaths.containsKey(path) || queuedBelow.containsKey(path)) {
        return true;
      }
      for (String up = StorePaths.parent(path); !up.equals("/"); up = StorePaths.parent(up)) {
        if (queuedPaths.containsKey(up)) {
          return true;
        }
      }
    }
    return false;
  }

  private void index(P commit, int delta) {
    for (StoreOp op : commit.ops()) {
      count(queuedPaths, op.path(), delta);
      for (String up = StorePaths.parent(op.path()); !up.equals("/"); up = StorePaths.parent(up)) {
        count(queuedBelow, up, delta);
      }
    }
  }

  private static void count(Map<String, Integer> counts, String path, int delta) {
    counts.merge(path, delta, (a, b) -> a + b == 0 ? null : a + b);
  }
}
