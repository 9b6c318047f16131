package dev.corral.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where {@link EventLoop#callAsync} completes its callers' futures: off the loop's thread, on threads that are
 * kept and reused. Not the common pool: with two cores its parallelism is one, and {@code CompletableFuture}
 * then starts a new thread for every completion sent to it, one per API request.
 */
final class Continuations {
  private static final AtomicInteger COUNT = new AtomicInteger();
  /** Grows while continuations block, shrinks after a minute idle; daemon threads. */
  static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "loop-continuation-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private Continuations() {}
}
