package dev.corral.master;

import com.google.protobuf.ByteString;
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

  /**
   * A due pass runs ahead of queued work: while thousands of agents re-register after a failover, the loop is
   * seconds behind, and a pass queued behind them would keep every framework waiting for offers that long.
   */
  private void request() {
    state.loop.scheduleUrgentIfAbsent(TAG, state.config.allocationDelay(), this::allocate);
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
    if (contenders.isEmpty()) {
      dirty.clear();
      allDirty = false;
      return;
    }
    DrfPlanner.Pass plan = DrfPlanner.start(contenders, state.clusterTotal(), state.now(),
        state.roles.policy(state.frameworks.values()));
    Map<String, Batch> batches = new LinkedHashMap<>();
    // Each agent is planned and offered in one step, while its objects are in cache: a pass over every agent
    // is bounded by the cache misses of reaching each agent's objects, not by arithmetic.
    if (allDirty) {
      state.agents.values().forEach(agent -> offer(agent, plan, batches));
    } else {
      dirty.forEach(id -> offer(state.agents.get(id), plan, batches));
    }
    dirty.clear();
    allDirty = false;
    for (Batch batch : batches.values()) {
      batch.framework.send(batch::event);
    }
  }

  /**
   * A framework's new offers of this pass, sent in one OFFERS event at its end. The event is built where the
   * framework's link writes it: for a subscription over gRPC, on the {@link FrameworkSender}'s thread, beside
   * the loop.
   */
  private record Batch(Framework framework, ByteString frameworkId, List<Agent.OfferMessage> offers) {
    SchedulerEvent event() {
      Offers.Builder built = Offers.newBuilder();
      for (Agent.OfferMessage offer : offers) {
        built.addOffers(offer.build());
      }
      return SchedulerEvent.newBuilder().setOffers(built).build();
    }
  }

  private void offer(Agent agent, DrfPlanner.Pass plan, Map<String, Batch> batches) {
    if (agent == null || !agent.state.isConnected() || !agent.mode.offered()) {
      return;
    }
    for (DrfPlanner.Grant g : plan.serve(agent.id, agent.available(), agent.hasGpus())) {
      Batch batch = batches.computeIfAbsent(g.frameworkId(),
          id -> new Batch(state.frameworks.get(id), ByteString.copyFromUtf8(id), new ArrayList<>()));
      Offer offer = offers.create(agent, batch.framework, g.resources(), g.amount());
      batch.offers.add(agent.offerMessage(offer.id, batch.frameworkId, offer.resources, unavailability.apply(agent),
          PersistentVolumes.free(state, agent, batch.framework.role())));
    }
  }
}
