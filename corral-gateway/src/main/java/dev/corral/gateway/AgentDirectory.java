package dev.corral.gateway;

import dev.corral.master.AgentEndpoint;
import dev.corral.master.MasterCounts;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The master's agents and counts as the gateway reads them; in a master node, the {@code Master} itself
 * ({@link #of}). Answers come from the master's loop, as futures.
 */
public interface AgentDirectory {
  CompletableFuture<Optional<AgentEndpoint>> agent(String agentId);

  CompletableFuture<List<AgentEndpoint>> agents();

  CompletableFuture<MasterCounts> counts();

  static AgentDirectory of(dev.corral.master.Master master) {
    return new AgentDirectory() {
      @Override
      public CompletableFuture<Optional<AgentEndpoint>> agent(String agentId) {
        return master.agentEndpoint(agentId);
      }

      @Override
      public CompletableFuture<List<AgentEndpoint>> agents() {
        return master.agents();
      }

      @Override
      public CompletableFuture<MasterCounts> counts() {
        return master.counts();
      }
    };
  }

  /** No agents at all: for gateways without a master (tests of other routes). */
  AgentDirectory NONE = new AgentDirectory() {
    @Override
    public CompletableFuture<Optional<AgentEndpoint>> agent(String agentId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletableFuture<List<AgentEndpoint>> agents() {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<MasterCounts> counts() {
      return CompletableFuture.completedFuture(new MasterCounts(java.util.Map.of(), java.util.Map.of(),
          java.util.Map.of(), 0));
    }
  };
}
