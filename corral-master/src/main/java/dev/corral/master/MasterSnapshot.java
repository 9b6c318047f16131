package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the master at one moment, for operator APIs and tests. Lists are sorted by id.
 * Taking one walks everything the master holds, so it is for humans and tests, not for hot paths.
 */
public record MasterSnapshot(
    String masterId,
    List<AgentView> agents,
    List<FrameworkView> frameworks,
    List<TaskView> tasks,
    List<OfferView> offers) {

  public MasterSnapshot {
    agents = List.copyOf(agents);
    frameworks = List.copyOf(frameworks);
    tasks = List.copyOf(tasks);
    offers = List.copyOf(offers);
  }

  /**
   * An agent. {@code state} is its connection state (RECOVERED, REGISTERING, CONNECTED, DISCONNECTED,
   * UNREACHABLE); {@code used} counts live tasks, {@code offered} outstanding offers.
   */
  public record AgentView(String id, String hostname, Map<String, String> attributes, ResourceSet total,
      ResourceSet used, ResourceSet offered, boolean connected, String state) {
    public AgentView {
      attributes = Map.copyOf(attributes);
    }
  }

  /** A framework; {@code state} is RECOVERED, SUBSCRIBING, CONNECTED or DISCONNECTED. */
  public record FrameworkView(String id, String name, String role, boolean connected, boolean suppressed,
      String state) {}

  /** A row of the task table: the latest state the master knows. */
  public record TaskView(String id, String frameworkId, String agentId, TaskState state) {}

  /** An outstanding offer. */
  public record OfferView(String id, String frameworkId, String agentId, ResourceSet resources) {}

  public Optional<AgentView> agent(String id) {
    return agents.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  public Optional<FrameworkView> framework(String id) {
    return frameworks.stream().filter(f -> f.id().equals(id)).findFirst();
  }

  public Optional<TaskView> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
