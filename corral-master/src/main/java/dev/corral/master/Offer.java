package dev.corral.master;

import dev.corral.api.ResourceSet;

/** An outstanding offer of one agent's resources to one framework. Loop thread only. */
final class Offer {
  final String id;
  final String frameworkId;
  final String agentId;
  final ResourceSet resources;
  OfferState state = OfferState.OUTSTANDING;
  /** Its index in its framework's list of offers while outstanding, -1 after. */
  int frameworkSlot = -1;

  Offer(String id, String frameworkId, String agentId, ResourceSet resources) {
    this.id = id;
    this.frameworkId = frameworkId;
    this.agentId = agentId;
    this.resources = resources;
  }

  void moveTo(OfferState to) {
    state = OfferState.TRANSITIONS.check(state, to);
  }
}
