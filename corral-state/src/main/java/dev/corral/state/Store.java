package dev.corral.state;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Durable hard state: a tree of small nodes addressed by absolute paths ("/services/apps/x").
 *
 * <p>Writes are units of work ({@link #commit}): all operations of one commit apply atomically, and the
 * returned future completes only once the store has them durably. Callers answer their own clients only
 * after that (persist before acknowledge). Reads see every completed commit.
 *
 * <p>Keep each node well under 1 MB (ZooKeeper's limit): one node per entity.
 * Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

  /** The node's data, or empty when the node does not exist. */
  Optional<byte[]> get(String path);

  /** Names (not paths) of the node's children; empty when the node has none or does not exist. */
  List<String> children(String path);

  /**
   * The node's children with their data, by name (not path) in name order: a start-up read of a whole
   * directory (a new leader loading 100,000 instances). Children removed meanwhile are left out. Stores
   * across a network override it to read them pipelined rather than one round trip each.
   */
  default SortedMap<String, byte[]> childrenWithData(String path) {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (String name : children(path)) {
      get(StorePaths.join(path, name)).ifPresent(data -> out.put(name, data));
    }
    return out;
  }

  /** Applies all operations atomically and durably; fails with {@link StoreException}. */
  CompletableFuture<Void> commit(List<StoreOp> ops);

  /**
   * A commit someone waits on (an API write): it may be written before commits queued earlier with which it
   * shares no node (no path equal to, above or below one of theirs), never before one it does share a node
   * with. Otherwise as {@link #commit}; stores without a queue just commit.
   */
  default CompletableFuture<Void> commitAhead(List<StoreOp> ops) {
    return commit(ops);
  }

  /**
   * Whether writes wait in such numbers that a caller which can put its work off (a status the agent sends
   * again, an offer that comes back) should: the writer is behind, and a queue that fills refuses commits.
   * Commits are still accepted. Stores without a queue never are.
   */
  default boolean backlogged() {
    return false;
  }

  /** Commits and waits; for start-up code and tests, never for event-loop code. */
  default void commitAndWait(List<StoreOp> ops) {
    try {
      commit(ops).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof StoreException se ? se : new StoreException("commit failed", e.getCause());
    }
  }

  @Override
  void close();
}
