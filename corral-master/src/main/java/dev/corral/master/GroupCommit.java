package dev.corral.master;

import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Writes hard state off the loop, batching: everything persisted during one turn of the loop goes to the
 * store in as few commits as the size cap allows (a burst of registrations after an outage costs a handful
 * of ZooKeeper multi-ops, not one round trip each). Completions re-enter through the loop.
 * Loop thread only.
 */
final class GroupCommit {
  /** Keeps one commit well under ZooKeeper's 1 MB request limit. */
  private static final int MAX_OPS = 200;
  private static final int MAX_BYTES = 512 * 1024;

  /** The latest write of one node and everyone waiting for it. */
  private record Pending(StoreOp op, List<Consumer<Throwable>> callbacks) {}

  private final Store store;
  private final MasterState state;
  private Map<String, Pending> pending = new LinkedHashMap<>();

  GroupCommit(Store store, MasterState state) {
    this.store = store;
    this.state = state;
  }

  /** Persists {@code op}; {@code then} runs on the loop with null once durable, or with the failure. */
  void persist(StoreOp op, Consumer<Throwable> then) {
    state.loop.assertInLoop();
    if (pending.isEmpty()) {
      state.loop.execute(this::flush);
    }
    // A later write of the same node within the batch supersedes the earlier one; both wait for it.
    Pending previous = pending.remove(op.path());
    List<Consumer<Throwable>> callbacks = previous == null ? new ArrayList<>() : previous.callbacks();
    callbacks.add(then);
    pending.put(op.path(), new Pending(op, callbacks));
  }

  private void flush() {
    List<Pending> batch = new ArrayList<>(pending.values());
    pending = new LinkedHashMap<>();
    if (state.closed) {
      return; // a closed master answers no one, so it need not write either
    }
    List<Pending> chunk = new ArrayList<>();
    int bytes = 0;
    for (Pending p : batch) {
      int size = p.op() instanceof StoreOp.Put put ? put.data().length : 0;
      if (!chunk.isEmpty() && (chunk.size() >= MAX_OPS || bytes + size > MAX_BYTES)) {
        commit(chunk);
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(p);
      bytes += size;
    }
    if (!chunk.isEmpty()) {
      commit(chunk);
    }
  }

  private void commit(List<Pending> chunk) {
    List<StoreOp> ops = new ArrayList<>(chunk.size());
    for (Pending p : chunk) {
      ops.add(p.op());
    }
    CompletableFuture<Void> done;
    try {
      done = store.commit(List.copyOf(ops));
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((ok, error) -> state.loop.execute(() -> {
      if (state.closed) {
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      for (Pending p : chunk) {
        for (Consumer<Throwable> callback : p.callbacks()) {
          callback.accept(cause);
        }
      }
    }));
  }
}
