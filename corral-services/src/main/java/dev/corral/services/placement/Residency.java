package dev.corral.services.placement;

import java.util.Map;

/**
 * What the matcher needs to place resident instances (apps with persistent volumes): the role the scheduler
 * reserves for, and per agent the resources reserved by resident instances that have no task now, which no
 * other instance may take. Immutable, built once per offer round.
 */
public record Residency(String role, Map<String, Map<String, Double>> idleByAgent) {
  public static final Residency NONE = new Residency("*", Map.of());

  public Residency {
    idleByAgent = Map.copyOf(idleByAgent);
  }

  Map<String, Double> idleOn(String agentId) {
    return idleByAgent.getOrDefault(agentId, Map.of());
  }
}
