package dev.corral.master;

import dev.corral.common.EventLoop;

/**
 * How gRPC threads hand work to the master's loop. Once the master is closed, new work is refused and work
 * already queued is skipped, so nothing touches state that {@link Master#close} tore down. Thread-safe.
 */
final class Gate {
  private final EventLoop loop;
  private volatile boolean closed;

  Gate(EventLoop loop) {
    this.loop = loop;
  }

  /** Runs {@code work} on the loop unless the master is (or by then has been) closed. */
  void post(Runnable work) {
    if (closed) {
      return;
    }
    loop.execute(() -> {
      if (!closed) {
        work.run();
      }
    });
  }

  /** Runs {@code work} on the loop, or {@code whenClosed} there instead once the master is closed. */
  void postOrElse(Runnable work, Runnable whenClosed) {
    postOrElse(work, whenClosed, false);
  }

  /** As {@link #postOrElse(Runnable, Runnable)}, ahead of queued work ({@link EventLoop#executeUrgent}). */
  void postUrgentOrElse(Runnable work, Runnable whenClosed) {
    postOrElse(work, whenClosed, true);
  }

  private void postOrElse(Runnable work, Runnable whenClosed, boolean urgent) {
    if (closed) {
      whenClosed.run();
      return;
    }
    Runnable item = () -> {
      if (closed) {
        whenClosed.run();
      } else {
        work.run();
      }
    };
    if (urgent) {
      loop.executeUrgent(item);
    } else {
      loop.execute(item);
    }
  }

  void close() {
    closed = true;
  }
}
