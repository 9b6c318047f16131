package dev.corral.dns;

import dev.corral.vip.VipRoute;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The VIP routes of the latest table with an index that changes only when they do, and waiting for the next
 * change: what {@code GET /v1/discovery/vips?index=N} (the agents' proxies) hangs on. The first index comes
 * from the clock, so that after a master restart it differs from whatever index an agent still holds.
 *
 * <p>Thread-safety: fed on the discovery thread, read by HTTP threads; the few fields are guarded by this.
 */
final class VipWatch implements Consumer<RecordTable> {
  /** The routes at one index. */
  record Snapshot(long index, List<VipRoute> routes) {}

  private Snapshot current;
  private List<CompletableFuture<Snapshot>> waiters = new ArrayList<>();

  VipWatch(Clock clock) {
    this.current = new Snapshot(clock.millis(), List.of());
  }

  @Override
  public void accept(RecordTable table) {
    List<VipRoute> routes = table.routes();
    List<CompletableFuture<Snapshot>> wake;
    Snapshot next;
    synchronized (this) {
      if (routes.equals(current.routes())) {
        return;
      }
      current = next = new Snapshot(current.index() + 1, routes);
      wake = waiters;
      waiters = new ArrayList<>();
    }
    wake.forEach(w -> w.complete(next));
  }

  synchronized Snapshot current() {
    return current;
  }

  /** Completes with the routes once their index differs from {@code index}, or with the current ones after {@code wait}. */
  CompletableFuture<Snapshot> after(long index, Duration wait) {
    CompletableFuture<Snapshot> f = new CompletableFuture<>();
    synchronized (this) {
      if (current.index() != index) {
        return CompletableFuture.completedFuture(current);
      }
      waiters.add(f);
    }
    f.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
    return f.thenApply(s -> {
      if (s == null) {
        synchronized (this) {
          waiters.remove(f);
          return current;
        }
      }
      return s;
    });
  }
}
