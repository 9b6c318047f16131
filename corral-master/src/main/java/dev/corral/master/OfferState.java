package dev.corral.master;

import dev.corral.common.Transitions;

/**
 * An offer's life. Only OUTSTANDING offers exist in the offer book; every other state is terminal and
 * says how the offered resources left it.
 *
 * <pre>
 *                 ┌─▶ ACCEPTED   (used by an Accept; leftovers return to the pool, filtered)
 *                 ├─▶ DECLINED   (returned by a Decline, filtered)
 *   OUTSTANDING ──┼─▶ RESCINDED  (taken back by the master: agent lost or re-registering; RESCIND sent)
 *                 └─▶ RECOVERED  (returned without use: framework gone, or named in an invalid Accept)
 * </pre>
 */
enum OfferState {
  OUTSTANDING,
  ACCEPTED,
  DECLINED,
  RESCINDED,
  RECOVERED;

  static final Transitions<OfferState> TRANSITIONS = Transitions.of(OfferState.class)
      .from(OUTSTANDING, ACCEPTED, DECLINED, RESCINDED, RECOVERED)
      .build();
}
