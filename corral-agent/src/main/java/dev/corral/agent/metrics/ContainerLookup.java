package dev.corral.agent.metrics;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The running containers as the metrics read them. The task table belongs to the agent's event loop, so
 * answers come back as futures; implementations must never complete them on a thread that then blocks.
 */
public interface ContainerLookup {
  /** The containers whose process may still be alive, in the table's order. */
  CompletableFuture<List<ContainerInfo>> running();

  /** One of them; empty when the agent does not run it (never did, or it ended). */
  CompletableFuture<Optional<ContainerInfo>> find(String containerId);
}
