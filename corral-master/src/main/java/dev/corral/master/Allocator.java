package dev.corral.master;

import dev.corral.api.v1.Offers;
import dev.corral.api.v1.SchedulerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event-driven allocator. There is no cycle: whatever can change an allocation marks the agents it
 * touches dirty ({@link #agentChanged}) or, for a framework-level change, all of them ({@link #allChanged}),
 * and asks for one pass within {@code allocationDelay}. Requests during that window join the same pass, so
 * a burst of registrations or status updates costs one pass. A pass looks only at dirty agents, plans with
 * {@link DrfPlanner}, and sends each framework its new offers in one OFFERS event. Loop thread only.
 */
final class Allocator {
  static final String TAG = "allocate";

  private final MasterState state;
  private final OfferBook offers;
  private final Set<String> dirty = new LinkedHashSet<>();
  private boolean allDirty;
  /** The maintenance window an agent's offers carry, or null; set once by the master. */
  java.util.function.Function<Agent, dev.corral.api.v1.Unavailability> unavailability = agent -> null;
  private long passes;

  Allocator(MasterState state, OfferBook offers) {
    this.state = state;
    this.offers = offers;
  }

  void agentChanged(String agentId) {
    if (!allDirty) {
      dirty.add(agentId);
    }
    request();
  }

  void allChanged() {
    allDirty = true;
    dirty.clear();
    request();
  }

  /** How many passes ran; tests check coalescing with it. */
  long passes() {
    return passes;
  }

  private void request() {
    state.loop.scheduleIfAbsent(TAG, state.config.allocationDelay(), this::allocate);
  }

  void allocate() {
    state.loop.assertInLoop();
    if (state.closed) {
      return;
    }
    passes++;
    List<DrfPlanner.Contender> contenders = new ArrayList<>();
    for (Framework f : state.frameworks.values()) {
      if (f.isConnected() && !f.suppressed) {
        contenders.add(DrfPlanner.contender(f));
      }
    }
    // Agents are walked directly, not copied as ids and looked up again: a pass over every agent is bounded
    // by the cache misses of reaching each agent's objects, not by arithmetic.
    int most = allDirty ? state.agents.size() : dirty.size();
    List<Agent> offerable = new ArrayList<>(most);
    List<DrfPlanner.Candidate> candidates = new ArrayList<>(most);
    if (!contenders.isEmpty()) {
      if (allDirty) {
        state.agents.values().forEach(agent -> addIfOfferable(agent, offerable, candidates));
      } else {
        dirty.forEach(id -> addIfOfferable(state.agents.get(id), offerable, candidates));
      }
    }
    dirty.clear();
    allDirty = false;
    if (candidates.isEmpty()) {
      return;
    }
    List<DrfPlanner.Grant> grants = DrfPlanner.plan(candidates, contenders, state.clusterTotal(), state.now(),
        state.roles.policy(state.frameworks.values()));
    // Offers are made framework by framework, so that a framework's bookkeeping stays in cache while its
    // offers are added (in the planner's agent order, consecutive grants mostly go to different frameworks).
    Map<String, List<DrfPlanner.Grant>> byFramework = new LinkedHashMap<>();
    for (DrfPlanner.Grant g : grants) {
      byFramework.computeIfAbsent(g.frameworkId(), k -> new ArrayList<>()).add(g);
    }
    for (Map.Entry<String, List<DrfPlanner.Grant>> e : byFramework.entrySet()) {
      Framework framework = state.frameworks.get(e.getKey());
      Offers.Builder batch = Offers.newBuilder();
      for (DrfPlanner.Grant g : e.getValue()) {
        Agent agent = offerable.get(g.candidate());
        Offer offer = offers.create(agent, framework, g.resources(), g.amount());
        batch.addOffers(agent.offer(offer.id, framework.id, offer.resources, unavailability.apply(agent)));
      }
      framework.send(SchedulerEvent.newBuilder().setOffers(batch).build());
    }
  }

  private static void addIfOfferable(Agent agent, List<Agent> offerable, List<DrfPlanner.Candidate> candidates) {
    if (agent != null && agent.state.isConnected() && agent.mode.offered()) {
      offerable.add(agent);
      candidates.add(new DrfPlanner.Candidate(agent.id, agent.available(), agent.hasGpus()));
    }
  }
}
