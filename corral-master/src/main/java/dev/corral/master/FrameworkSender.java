package dev.corral.master;

import io.grpc.Status;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that write the frameworks' events: each link is written by one of them, in the order the loop
 * sent its events. The loop hands over what to send and goes on: building and serializing a pass's offers
 * (more than the pass itself with 50,000 agents) happen here, beside the loop, not on it. Each thread's queue
 * is bounded; when it is full the loop waits for room (the threads never wait for the loop, so this cannot
 * deadlock) rather than dropping an event. A thread starts with its first event and ends when idle.
 */
final class FrameworkSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrameworkSender.class);
  /** Events waiting per thread before the loop waits for room. */
  static final int QUEUE_CAPACITY = 65_536;

  private final ThreadPoolExecutor[] threads;
  private int next;

  /** {@code threadCount} threads, each writing its share of the frameworks' links. */
  FrameworkSender(String name, int threadCount) {
    this(name, threadCount, QUEUE_CAPACITY);
  }

  FrameworkSender(String name, int threadCount, int queueCapacity) {
    threads = new ThreadPoolExecutor[threadCount];
    for (int i = 0; i < threadCount; i++) {
      String threadName = name + "-" + i;
      threads[i] = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
          run -> {
            Thread t = new Thread(run, threadName);
            t.setDaemon(true);
            return t;
          }, FrameworkSender::waitForRoom);
      threads[i].allowCoreThreadTimeOut(true);
    }
  }

  /** A link whose sends and close go through this sender, after everything sent through it before. */
  synchronized <M> Link<M> serial(Link<M> link) {
    ThreadPoolExecutor thread = threads[next];
    next = (next + 1) % threads.length;
    return new SerialLink<>(link, thread);
  }

  /** Waits until everything handed over so far has been written (benchmarks, tests); returns at once if closed. */
  void flush() {
    for (ThreadPoolExecutor thread : threads) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      if (run(thread, () -> done.complete(null))) {
        done.join();
      }
    }
  }

  /** Writes what is queued (for up to 5 s), then refuses new work: it is dropped. */
  @Override
  public void close() {
    for (ThreadPoolExecutor thread : threads) {
      thread.shutdown();
    }
    try {
      for (ThreadPoolExecutor thread : threads) {
        if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("framework events still unsent after 5 s; dropping them");
          thread.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      for (ThreadPoolExecutor thread : threads) {
        thread.shutdownNow();
      }
    }
  }

  /** Runs {@code work} on {@code thread} after everything before it; false when closed (nothing ran). */
  private static boolean run(ThreadPoolExecutor thread, Runnable work) {
    try {
      thread.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.warn("writing a framework event failed", e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private static void waitForRoom(Runnable work, ThreadPoolExecutor executor) {
    if (executor.isShutdown()) {
      throw new RejectedExecutionException("closed");
    }
    try {
      executor.getQueue().put(work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RejectedExecutionException("interrupted while waiting for room", e);
    }
  }

  /** The framework's end of its stream, written by the sender's thread. */
  private static final class SerialLink<M> implements Link<M> {
    private final Link<M> link;
    private final ThreadPoolExecutor thread;

    SerialLink(Link<M> link, ThreadPoolExecutor thread) {
      this.link = link;
      this.thread = thread;
    }

    @Override
    public void send(M message) {
      run(thread, () -> link.send(message));
    }

    @Override
    public void sendBuilt(Supplier<M> message) {
      run(thread, () -> link.send(message.get()));
    }

    @Override
    public void close(Status status) {
      if (!run(thread, () -> link.close(status))) {
        link.close(status); // a closed sender still ends the stream
      }
    }
  }
}
