package dev.corral.gateway;

import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The limit on proxied exchanges at once, and threads for those that block. An exchange may last as long as
 * a log is followed, so one that blocks runs here rather than on Jetty's threads ({@link #submit}); an
 * asynchronous one holds no thread ({@link #start}). At most {@code max} of both kinds run at once: one more
 * is answered 503 at once instead of queueing without bound. Thread-safe.
 */
final class ProxyPool implements AutoCloseable {
  /** Work that may block for the whole exchange. */
  interface Exchange {
    void run() throws Exception;
  }

  private final ExecutorService threads;
  private final Semaphore slots;
  private final int max;

  ProxyPool(int max) {
    this.max = max;
    this.slots = new Semaphore(max);
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "gateway-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs the exchange on the pool, the request held open until it ends ({@code ctx.future}). */
  void submit(Context ctx, Exchange exchange, ErrorHandler onError) {
    if (!slots.tryAcquire()) {
      Replies.json(ctx, 503, "the gateway is serving " + max + " proxied requests already; try again shortly");
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          exchange.run();
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          onError.handle(e);
        } finally {
          slots.release();
          done.complete(null);
        }
      });
    } catch (RuntimeException e) {
      slots.release();
      Replies.json(ctx, 503, "the gateway is shutting down");
      return;
    }
    ctx.future(() -> done);
  }

  /**
   * Starts an asynchronous exchange (one that holds no thread while it waits, e.g. {@link Forwarder#forward})
   * on the request's own thread once the request is in async mode, and holds the request open until its
   * future ends; counted against the same limit as {@link #submit}. A failure of the future goes to
   * {@code onError}.
   */
  void start(Context ctx, Supplier<CompletableFuture<Void>> exchange, ErrorHandler onError) {
    if (!slots.tryAcquire()) {
      Replies.json(ctx, 503, "the gateway is serving " + max + " proxied requests already; try again shortly");
      return;
    }
    ctx.future(() -> {
      CompletableFuture<Void> running;
      try {
        running = exchange.get();
      } catch (RuntimeException e) {
        running = CompletableFuture.failedFuture(e);
      }
      return running.handle((ok, failure) -> {
        slots.release();
        if (failure != null) {
          Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          onError.handle(cause instanceof Exception e ? e : new RuntimeException(cause));
        }
        return null;
      });
    });
  }

  /** What to do when an exchange fails (answer an error if nothing was sent yet). */
  interface ErrorHandler {
    void handle(Exception e);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
