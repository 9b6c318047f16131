package dev.corral.services.placement;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * How offers fared for one app: Marathon's {@code processedOffersSummary}, plus the last rejection in words
 * so that the queue can say why an app waits. Soft state (rebuilt from new offers after a restart).
 * Immutable; {@link #record} returns the next value.
 *
 * <p>The per-reason counters form a funnel in {@link RejectReason} order: an offer that failed at a check
 * counts as processed by every check up to and including it, and as declined by that one.
 *
 * @param lastRejection why the last offer took no more of the app's instances (it may have taken some);
 *     null when it took every waiting one
 */
public record OfferStats(long processed, long unused, Instant lastUnusedAt, Instant lastUsedAt,
    Map<RejectReason, Long> processedBy, Map<RejectReason, Long> declinedBy, Rejection lastRejection) {

  public static final OfferStats EMPTY = new OfferStats(0, 0, null, null, Map.of(), Map.of(), null);

  public OfferStats {
    processedBy = Map.copyOf(processedBy);
    declinedBy = Map.copyOf(declinedBy);
  }

  public OfferStats record(OfferMatcher.Outcome outcome, Instant now) {
    Map<RejectReason, Long> p = new EnumMap<>(RejectReason.class);
    Map<RejectReason, Long> d = new EnumMap<>(RejectReason.class);
    p.putAll(processedBy);
    d.putAll(declinedBy);
    Rejection r = outcome.rejection();
    boolean used = outcome.placed() > 0;
    for (RejectReason reason : RejectReason.values()) {
      p.merge(reason, 1L, Long::sum);
      if (!used && r != null && r.reason() == reason) {
        d.merge(reason, 1L, Long::sum);
        break;
      }
    }
    return new OfferStats(processed + 1, used ? unused : unused + 1, used ? lastUnusedAt : now,
        used ? now : lastUsedAt, p, d, r);
  }

  public long processedBy(RejectReason reason) {
    return processedBy.getOrDefault(reason, 0L);
  }

  public long declinedBy(RejectReason reason) {
    return declinedBy.getOrDefault(reason, 0L);
  }
}
