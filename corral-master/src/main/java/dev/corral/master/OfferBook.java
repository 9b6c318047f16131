package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Rescind;
import dev.corral.api.v1.SchedulerEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Outstanding offers and the bookkeeping they carry: an offer's resources count as offered on its agent
 * and against its framework's DRF share until it leaves the book. Loop thread only.
 */
final class OfferBook {
  private final MasterState state;

  OfferBook(MasterState state) {
    this.state = state;
  }

  /** {@code amount} is the scalars of {@code resources}, which the planner has at hand. */
  Offer create(Agent agent, Framework framework, ResourceSet resources, Scalars amount) {
    long seq = state.newOfferSeq();
    Offer offer = new Offer(seq, state.offers.id(seq), framework.id, agent.id, resources, amount);
    state.offers.put(offer);
    agent.offered = agent.offered.plus(resources);
    agent.addOffer(seq);
    framework.offered = framework.offered.plus(amount);
    offer.frameworkSlot = framework.offers.size();
    framework.offers.add(offer);
    return offer;
  }

  /** Takes an offer out of the book in its final state; its resources stop counting as offered. */
  void remove(Offer offer, OfferState end) {
    offer.moveTo(end);
    state.offers.remove(offer);
    Agent agent = state.agents.get(offer.agentId);
    if (agent != null) {
      agent.offered = Resources.clampedMinus(agent.offered, offer.resources);
      agent.removeOffer(offer.seq);
    }
    Framework framework = state.frameworks.get(offer.frameworkId);
    if (framework != null) {
      framework.offered = framework.offered.minus(offer.amount);
      removeSlot(framework.offers, offer);
    }
  }

  /**
   * Removes an offer from its framework's list by moving the last one into its slot: no hash-table node per
   * offer, and no shifting when a framework with tens of thousands of offers declines them one by one.
   */
  private static void removeSlot(List<Offer> offers, Offer offer) {
    int slot = offer.frameworkSlot;
    offer.frameworkSlot = -1;
    if (slot < 0 || slot >= offers.size() || offers.get(slot) != offer) {
      return;
    }
    Offer last = offers.remove(offers.size() - 1);
    if (last != offer) {
      offers.set(slot, last);
      last.frameworkSlot = slot;
    }
  }

  /** Takes back every offer of an agent that is going away, telling each framework with RESCIND. */
  void rescindAll(Agent agent) {
    for (long seq : agent.offerSeqs()) {
      Offer offer = state.offers.get(seq);
      if (offer == null) {
        continue;
      }
      remove(offer, OfferState.RESCINDED);
      Framework framework = state.frameworks.get(offer.frameworkId);
      if (framework != null) {
        framework.send(SchedulerEvent.newBuilder().setRescind(Rescind.newBuilder().setOfferId(offer.id)).build());
      }
    }
  }

  /** Returns every offer of a framework that went away; answers the agents whose resources came back. */
  List<String> recoverAll(Framework framework) {
    List<String> agents = new ArrayList<>();
    for (Offer offer : new ArrayList<>(framework.offers)) {
      remove(offer, OfferState.RECOVERED);
      agents.add(offer.agentId);
    }
    return agents;
  }
}
