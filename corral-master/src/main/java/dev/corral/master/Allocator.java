package dev.corral.master;

import dev.corral.api.v1.Offers;
import dev.corral.api.v1.SchedulerEvent;
import java.util.ArrayList;
import java.util.Collection;
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
    Collection<String> agentIds = allDirty ? new ArrayList<>(state.agents.keySet()) : new ArrayList<>(dirty);
    dirty.clear();
    allDirty = false;

    List<DrfPlanner.Contender> contenders = new ArrayList<>();
    for (Framework f : state.frameworks.values()) {
      if (f.isConnected() && !f.suppressed) {
        contenders.add(DrfPlanner.contender(f));
      }
    }
    if (contenders.isEmpty()) {
      return;
    }
    List<DrfPlanner.Candidate> candidates = new ArrayList<>();
    for (String id : agentIds) {
      Agent agent = state.agents.get(id);
      if (agent != null && agent.state.isConnected() && agent.mode.offered()) {
        candidates.add(new DrfPlanner.Candidate(id, agent.available(), agent.hasGpus()));
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    Map<String, Offers.Builder> events = new LinkedHashMap<>();
    Map<String, dev.corral.api.v1.Unavailability> windows = new java.util.HashMap<>();
    for (DrfPlanner.Grant g : DrfPlanner.plan(candidates, contenders, state.clusterTotal(), state.now(),
        state.roles.policy(state.frameworks.values()))) {
      Offer offer = offers.create(g.agentId(), g.frameworkId(), g.resources());
      Agent agent = state.agents.get(g.agentId());
      dev.corral.api.v1.Offer.Builder proto = dev.corral.api.v1.Offer.newBuilder();
      dev.corral.api.v1.Unavailability window = windows.computeIfAbsent(agent.id, k -> unavailability.apply(agent));
      if (window != null) {
        proto.setUnavailability(window);
      }
      events.computeIfAbsent(g.frameworkId(), k -> Offers.newBuilder()).addOffers(
          proto
              .setOfferId(offer.id)
              .setFrameworkId(offer.frameworkId)
              .setAgentId(offer.agentId)
              .setHostname(agent.hostname())
              .addAllResources(offer.resources.toProto())
              .addAllAttributes(agent.info.getAttributesList()));
    }
    events.forEach((frameworkId, batch) ->
        state.frameworks.get(frameworkId).send(SchedulerEvent.newBuilder().setOffers(batch).build()));
  }
}
