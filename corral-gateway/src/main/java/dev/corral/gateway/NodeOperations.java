package dev.corral.gateway;

import dev.corral.master.AgentEndpoint;
import dev.corral.master.MachineId;
import dev.corral.master.MaintenanceWindow;
import dev.corral.master.RoleView;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The master's maintenance calls as the operator routes use them; in a master node, the {@code Master}
 * itself ({@link #of}). Each future completes once the change is durable, or fails with an
 * {@code OperatorException} carrying the HTTP status.
 */
public interface NodeOperations {
  CompletableFuture<AgentEndpoint> drain(String agentId, Duration grace);

  CompletableFuture<AgentEndpoint> deactivate(String agentId);

  CompletableFuture<AgentEndpoint> reactivate(String agentId);

  CompletableFuture<List<MaintenanceWindow>> schedule();

  CompletableFuture<List<MaintenanceWindow>> setSchedule(List<MaintenanceWindow> windows);

  CompletableFuture<List<AgentEndpoint>> down(List<MachineId> machines);

  CompletableFuture<List<AgentEndpoint>> up(List<MachineId> machines);

  CompletableFuture<List<RoleView>> roles();

  CompletableFuture<AgentEndpoint> reserve(String agentId, List<dev.corral.api.v1.Resource> resources);

  CompletableFuture<AgentEndpoint> unreserve(String agentId, List<dev.corral.api.v1.Resource> resources);

  CompletableFuture<RoleView> setWeight(String role, double weight);

  CompletableFuture<RoleView> setQuota(String role, Map<String, Double> guarantee, Map<String, Double> limit);

  CompletableFuture<RoleView> removeQuota(String role);

  static NodeOperations of(dev.corral.master.Master master) {
    return new NodeOperations() {
      @Override
      public CompletableFuture<AgentEndpoint> reserve(String agentId, List<dev.corral.api.v1.Resource> resources) {
        return master.reserve(agentId, resources);
      }

      @Override
      public CompletableFuture<AgentEndpoint> unreserve(String agentId, List<dev.corral.api.v1.Resource> resources) {
        return master.unreserve(agentId, resources);
      }

      @Override
      public CompletableFuture<List<RoleView>> roles() {
        return master.roles();
      }

      @Override
      public CompletableFuture<RoleView> setWeight(String role, double weight) {
        return master.setWeight(role, weight);
      }

      @Override
      public CompletableFuture<RoleView> setQuota(String role, Map<String, Double> guarantee,
          Map<String, Double> limit) {
        return master.setQuota(role, guarantee, limit);
      }

      @Override
      public CompletableFuture<RoleView> removeQuota(String role) {
        return master.removeQuota(role);
      }

      @Override
      public CompletableFuture<AgentEndpoint> drain(String agentId, Duration grace) {
        return master.drain(agentId, grace);
      }

      @Override
      public CompletableFuture<AgentEndpoint> deactivate(String agentId) {
        return master.deactivate(agentId);
      }

      @Override
      public CompletableFuture<AgentEndpoint> reactivate(String agentId) {
        return master.reactivate(agentId);
      }

      @Override
      public CompletableFuture<List<MaintenanceWindow>> schedule() {
        return master.maintenanceSchedule();
      }

      @Override
      public CompletableFuture<List<MaintenanceWindow>> setSchedule(List<MaintenanceWindow> windows) {
        return master.setMaintenanceSchedule(windows);
      }

      @Override
      public CompletableFuture<List<AgentEndpoint>> down(List<MachineId> machines) {
        return master.machinesDown(machines);
      }

      @Override
      public CompletableFuture<List<AgentEndpoint>> up(List<MachineId> machines) {
        return master.machinesUp(machines);
      }
    };
  }
}
