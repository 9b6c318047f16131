package dev.corral.master;

import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A store whose commits become durable only when the test says so (or fail when it says so). */
final class HandStore implements Store {
  private record Pending(List<StoreOp> ops, CompletableFuture<Void> future) {}

  final MemoryStore durable = new MemoryStore();
  private final List<Pending> pending = new ArrayList<>();

  @Override
  public Optional<byte[]> get(String path) {
    return durable.get(path);
  }

  @Override
  public List<String> children(String path) {
    return durable.children(path);
  }

  @Override
  public synchronized CompletableFuture<Void> commit(List<StoreOp> ops) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    pending.add(new Pending(List.copyOf(ops), future));
    return future;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  /** Makes every pending commit durable, then completes it. */
  void completeAll() {
    List<Pending> now;
    synchronized (this) {
      now = new ArrayList<>(pending);
      pending.clear();
    }
    for (Pending p : now) {
      durable.commitAndWait(p.ops());
      p.future().complete(null);
    }
  }

  void failAll(RuntimeException error) {
    List<Pending> now;
    synchronized (this) {
      now = new ArrayList<>(pending);
      pending.clear();
    }
    for (Pending p : now) {
      p.future().completeExceptionally(error);
    }
  }

  @Override
  public void close() {}
}
