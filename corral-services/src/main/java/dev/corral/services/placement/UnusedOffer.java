package dev.corral.services.placement;

import dev.corral.api.v1.Offer;
import java.time.Instant;
import java.util.List;

/**
 * An offer that took none of an app's waiting instances, and every reason why (Marathon's {@code NoMatch},
 * shown by {@code GET /v2/queue?embed=lastUnusedOffers}).
 *
 * @param offer the offer as it was when the app's instance was matched against it
 * @param reasons the checks it failed, in {@link RejectReason} order; never empty
 */
public record UnusedOffer(Offer offer, Instant timestamp, List<RejectReason> reasons) {
  public UnusedOffer {
    reasons = List.copyOf(reasons);
  }
}
