package dev.corral.master;

import java.util.Map;

/**
 * What the allocator knows of roles for one pass: weights (default 1), quota guarantees and limits, and
 * what each role holds now (allocated + offered, all its frameworks). Immutable; maps are copied.
 *
 * <p>Weights divide a framework's dominant share, so a role of weight 2 is offered as if it held half as
 * much. A role below its guarantee in any kind is offered before every role that is not. A role never gets
 * an offer that would take it past its limit: offers are cut to the headroom (a kind without a limit is
 * unlimited).
 */
record RolePolicy(Map<String, Double> weights, Map<String, Scalars> guarantees, Map<String, Scalars> limits,
    Map<String, Scalars> held) {
  static final RolePolicy NONE = new RolePolicy(Map.of(), Map.of(), Map.of(), Map.of());

  RolePolicy {
    weights = Map.copyOf(weights);
    guarantees = Map.copyOf(guarantees);
    limits = Map.copyOf(limits);
    held = Map.copyOf(held);
  }

  double weight(String role) {
    Double w = weights.get(role);
    return w == null || w <= 0 ? 1.0 : w;
  }
}
