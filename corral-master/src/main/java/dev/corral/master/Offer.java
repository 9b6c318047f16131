package dev.corral.master;

import dev.corral.api.ResourceSet;

/** An outstanding offer of one agent's resources to one framework. Loop thread only. */
final class Offer {
  final String id;
  /** Its number within this master run; its id is made from it ({@link OfferTable#id}). */
  final long seq;
  final String frameworkId;
  final String agentId;
  final ResourceSet resources;
  /** The scalars of {@link #resources}, counted against its framework's share while outstanding. */
  final Scalars amount;
  OfferState state = OfferState.OUTSTANDING;
  /** Its index in its framework's list of offers while outstanding, -1 after. */
  int frameworkSlot = -1;

  Offer(long seq, String id, String frameworkId, String agentId, ResourceSet resources, Scalars amount) {
    this.seq = seq;
    this.id = id;
    this.frameworkId = frameworkId;
    this.agentId = agentId;
    this.resources = resources;
    this.amount = amount;
  }

  void moveTo(OfferState to) {
    state = OfferState.TRANSITIONS.check(state, to);
  }
}
