package dev.corral.services.placement;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How offers fared for one app during its current launch attempt: Marathon's {@code processedOffersSummary},
 * its {@code lastUnusedOffers}, and the last rejection in words so that the queue can say why an app waits.
 * An immutable snapshot of an {@link OfferStatsRecorder}.
 *
 * <p>The per-reason counters form a funnel in {@link RejectReason} order: an offer that failed at a check
 * counts as processed by every check up to and including it, and as declined by that one.
 *
 * @param lastRejection why the last offer took no more of the app's instances (it may have taken some);
 *     null when it took every waiting one
 * @param lastUnusedOffers the last offer of each agent (of the most recent ones, at most
 *     {@link OfferStatsRecorder#MAX_UNUSED_OFFERS}) that took none of the app's instances, oldest first
 */
public record OfferStats(long processed, long unused, Instant lastUnusedAt, Instant lastUsedAt,
    Map<RejectReason, Long> processedBy, Map<RejectReason, Long> declinedBy, Rejection lastRejection,
    List<UnusedOffer> lastUnusedOffers) {

  public static final OfferStats EMPTY = new OfferStats(0, 0, null, null, Map.of(), Map.of(), null, List.of());

  public OfferStats {
    processedBy = Map.copyOf(processedBy);
    declinedBy = Map.copyOf(declinedBy);
    lastUnusedOffers = List.copyOf(lastUnusedOffers);
  }

  public long processedBy(RejectReason reason) {
    return processedBy.getOrDefault(reason, 0L);
  }

  public long declinedBy(RejectReason reason) {
    return declinedBy.getOrDefault(reason, 0L);
  }
}
