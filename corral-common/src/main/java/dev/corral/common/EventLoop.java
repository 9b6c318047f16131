package dev.corral.common;

import java.time.Clock;
import java.time.Duration;

/**
 * The one thread that owns a component's mutable state (master, allocator, each scheduler).
 *
 * <p>Work is appended and runs in order, one item at a time. Deferred work carries a tag so that it can be
 * replaced or cancelled (e.g. one pending allocation, one heartbeat timeout per agent). I/O never runs on
 * the loop: it runs elsewhere and re-enters with {@link #execute}.
 *
 * <p>Implementations: {@link ThreadEventLoop} in production, {@link ManualEventLoop} in tests, which runs
 * work only when the test says so and advances a fake clock.
 */
public interface EventLoop {

  /** Appends work; thread-safe. */
  void execute(Runnable work);

  /**
   * Runs work ahead of the work already queued (but after the item running now), in order among urgent work;
   * thread-safe. For requests a person waits on, so that an API answer does not queue behind thousands of
   * status updates. By default the same as {@link #execute}.
   */
  default void executeUrgent(Runnable work) {
    execute(work);
  }

  /**
   * Runs work before any other queued work, urgent work included (but after the item running now); thread-safe.
   * For the API requests a person waits on and what they wait for after their commit: the urgent lane also
   * carries the slices of a big deployment's offer rounds and launches. By default {@link #executeUrgent}.
   */
  default void executeFirst(Runnable work) {
    executeUrgent(work);
  }

  /**
   * Runs work after a delay, replacing any deferred work with the same tag. Thread-safe.
   * A null tag means the work cannot be cancelled.
   */
  void schedule(String tag, Duration delay, Runnable work);

  /** Schedules only if no work with this tag is pending; returns whether it scheduled. Loop thread only. */
  boolean scheduleIfAbsent(String tag, Duration delay, Runnable work);

  /**
   * As {@link #scheduleIfAbsent}, but once due the work runs ahead of queued work, as with
   * {@link #executeUrgent}: for deferred work that others wait on (an allocation pass) while the loop may be
   * far behind. By default the same as {@link #scheduleIfAbsent}. Loop thread only.
   */
  default boolean scheduleUrgentIfAbsent(String tag, Duration delay, Runnable work) {
    return scheduleIfAbsent(tag, delay, work);
  }

  /** Cancels deferred work with this tag, if any. Thread-safe. */
  void cancel(String tag);

  /** The clock the loop's work must use for every timestamp. */
  Clock clock();

  /** Whether the calling thread is the loop's thread. */
  boolean inLoop();

  /** Fails loudly when state-owning code is called from another thread. */
  default void assertInLoop() {
    if (!inLoop()) {
      throw new IllegalStateException("must run on the event loop, not on " + Thread.currentThread().getName());
    }
  }

  /**
   * Runs {@code work} on the loop and completes with its result: how other threads read loop-owned state.
   * Completes exceptionally when the work throws or the loop is shut down.
   */
  default <T> java.util.concurrent.CompletableFuture<T> call(java.util.function.Supplier<T> work) {
    java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
    try {
      execute(() -> {
        try {
          result.complete(work.get());
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * Runs {@code work} on the loop and completes with the future it returns — on a pool of its own
   * ({@link Continuations}), never on the loop's thread, so callers' continuations cannot stall the loop.
   * Unwraps {@code CompletionException}s.
   */
  default <T> java.util.concurrent.CompletableFuture<T> callAsync(
      java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> work) {
    return callAsync(this::execute, work);
  }

  /** {@link #callAsync} before any other queued work: see {@link #executeFirst}. */
  default <T> java.util.concurrent.CompletableFuture<T> callAsyncFirst(
      java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> work) {
    return callAsync(this::executeFirst, work);
  }

  /** {@link #callAsync} ahead of queued work: see {@link #executeUrgent}. */
  default <T> java.util.concurrent.CompletableFuture<T> callAsyncUrgent(
      java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> work) {
    return callAsync(this::executeUrgent, work);
  }

  private <T> java.util.concurrent.CompletableFuture<T> callAsync(java.util.function.Consumer<Runnable> submit,
      java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> work) {
    java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
    try {
      submit.accept(() -> {
        java.util.concurrent.CompletableFuture<T> f;
        try {
          f = work.get();
        } catch (RuntimeException e) {
          f = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        f.whenCompleteAsync((v, err) -> {
          if (err != null) {
            result.completeExceptionally(err instanceof java.util.concurrent.CompletionException
                && err.getCause() != null ? err.getCause() : err);
          } else {
            result.complete(v);
          }
        }, Continuations.EXECUTOR);
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** Stops accepting work; pending work is dropped. */
  void shutdown();
}
