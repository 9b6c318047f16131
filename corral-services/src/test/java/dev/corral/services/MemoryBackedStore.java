package dev.corral.services;

import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A store in memory for a test to change one behaviour of (how commits are made, whether it is backlogged):
 * everything it does not override goes to {@link #memory}.
 */
class MemoryBackedStore implements Store {
  final MemoryStore memory = new MemoryStore();

  @Override
  public Optional<byte[]> get(String path) {
    return memory.get(path);
  }

  @Override
  public List<String> children(String path) {
    return memory.children(path);
  }

  @Override
  public CompletableFuture<Void> commit(List<StoreOp> ops) {
    return memory.commit(ops);
  }

  @Override
  public void close() {
    memory.close();
  }
}
