package dev.corral.master;

import java.util.Map;

/**
 * How many agents, frameworks and tasks the master holds, by state, and its outstanding offers: what the
 * master's {@code /metrics} reports. Cheap to take (counts, no copies of entries). Immutable.
 */
public record MasterCounts(Map<String, Integer> agentsByState, Map<String, Integer> frameworksByState,
    Map<String, Integer> tasksByState, int offers) {
  public MasterCounts {
    agentsByState = Map.copyOf(agentsByState);
    frameworksByState = Map.copyOf(frameworksByState);
    tasksByState = Map.copyOf(tasksByState);
  }
}
