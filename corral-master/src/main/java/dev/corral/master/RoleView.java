package dev.corral.master;

import java.util.Map;

/**
 * A role as operators see it: its weight, quota (kinds not set are left out; an empty limit means none) and
 * what its frameworks hold now (allocated and offered). Immutable.
 */
public record RoleView(String role, double weight, Map<String, Double> guarantee, Map<String, Double> limit,
    Map<String, Double> allocated, int frameworks) {
  public RoleView {
    guarantee = Map.copyOf(guarantee);
    limit = Map.copyOf(limit);
    allocated = Map.copyOf(allocated);
  }
}
