package dev.corral.master;

import dev.corral.api.ResourceSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dominant Resource Fairness over the agents of one allocation pass: a pure function of its inputs, so the
 * allocator's policy can be read and tested apart from its plumbing.
 *
 * <p>For each agent, frameworks are taken in order of their dominant share (allocated + offered, over the
 * cluster total; ties by name, then id). The first eligible one gets, in one offer, everything of the
 * agent's available resources its role may use (unreserved plus reserved for its role). What is left
 * (resources reserved for other roles) goes on down the list, so reservations reach their role. Eligible
 * means: not filtered on this agent for what would be offered, and GPU-aware if the agent has GPUs.
 * Suppressed and disconnected frameworks are not passed in at all.
 *
 * <p>Cost: per agent one sort of the frameworks, so a pass is O(agents × frameworks log frameworks).
 */
final class DrfPlanner {

  /** An agent with something to offer. */
  record Candidate(String agentId, ResourceSet available, boolean hasGpus) {}

  /**
   * A framework that wants offers. {@code filters} is a read-only view of its decline filters by agent id,
   * read during the call only.
   */
  record Contender(String frameworkId, String name, String role, boolean gpuAware, Scalars allocation,
      Map<String, Filter> filters) {}

  /** One offer to make. */
  record Grant(String agentId, String frameworkId, ResourceSet resources) {}

  private DrfPlanner() {}

  static List<Grant> plan(List<Candidate> agents, List<Contender> frameworks, Scalars clusterTotal, Instant now) {
    Map<String, Scalars> allocation = new HashMap<>();
    for (Contender f : frameworks) {
      allocation.put(f.frameworkId(), f.allocation());
    }
    Comparator<Contender> byShare = Comparator
        .<Contender>comparingDouble(f -> allocation.get(f.frameworkId()).dominantShare(clusterTotal))
        .thenComparing(Contender::name)
        .thenComparing(Contender::frameworkId);
    List<Grant> grants = new ArrayList<>();
    List<Contender> order = new ArrayList<>(frameworks);
    for (Candidate agent : agents) {
      ResourceSet remaining = agent.available();
      if (remaining.isEmpty()) {
        continue;
      }
      // Only the framework served here changes its share, and it is done with this agent: one sort suffices.
      order.sort(byShare);
      for (Contender f : order) {
        if (agent.hasGpus() && !f.gpuAware()) {
          continue;
        }
        ResourceSet offer = remaining.allocatableTo(f.role());
        if (offer.isEmpty()) {
          continue;
        }
        Filter filter = f.filters().get(agent.agentId());
        if (filter != null && filter.hides(offer, now)) {
          continue;
        }
        grants.add(new Grant(agent.agentId(), f.frameworkId(), offer));
        allocation.put(f.frameworkId(), allocation.get(f.frameworkId()).plus(Scalars.of(offer)));
        remaining = remaining.minus(offer);
        if (remaining.isEmpty()) {
          break;
        }
      }
    }
    return grants;
  }

  static Contender contender(Framework f) {
    return new Contender(f.id, f.name(), f.role(), f.gpuAware(), f.allocated.plus(f.offered),
        Collections.unmodifiableMap(f.filters));
  }
}
