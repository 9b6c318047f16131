package dev.corral.services.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records how offers fare for one app, O(1) per offer: counters, the funnel, and the last unused offer per
 * agent, bounded to the {@value #MAX_UNUSED_OFFERS} agents heard from most recently (Marathon keeps one per
 * agent without a bound). Soft state, confined to the scheduler's event loop; {@link #snapshot()} hands
 * readers an immutable copy, made at most once per change.
 */
public final class OfferStatsRecorder {
  public static final int MAX_UNUSED_OFFERS = 20;
  private static final RejectReason[] REASONS = RejectReason.values();

  private final long[] processedBy = new long[REASONS.length];
  private final long[] declinedBy = new long[REASONS.length];
  /** agent id → its last unused offer; the map's order is the order of their arrival. */
  private final LinkedHashMap<String, UnusedOffer> lastUnused = new LinkedHashMap<>();
  private long processed;
  private long unused;
  private Instant lastUnusedAt;
  private Instant lastUsedAt;
  private Rejection lastRejection;
  private OfferStats snapshot = OfferStats.EMPTY;
  private boolean changed;

  /** Counts one offer that was matched against the app's next waiting instance. */
  public void record(OfferMatcher.Outcome outcome, Instant now) {
    changed = true;
    processed++;
    Rejection r = outcome.rejection();
    lastRejection = r;
    boolean used = !outcome.unused();
    RejectReason declined = used ? null : r.reason();
    for (RejectReason reason : REASONS) {
      processedBy[reason.ordinal()]++;
      if (reason == declined) {
        declinedBy[reason.ordinal()]++;
        break;
      }
    }
    if (used) {
      lastUsedAt = now;
      return;
    }
    unused++;
    lastUnusedAt = now;
    String agent = outcome.offered().getAgentId();
    // Removing first moves the agent to the end: the eldest entry is always the least recently heard from.
    lastUnused.remove(agent);
    lastUnused.put(agent, new UnusedOffer(outcome.offered(), now, r.reasons()));
    if (lastUnused.size() > MAX_UNUSED_OFFERS) {
      lastUnused.remove(lastUnused.keySet().iterator().next());
    }
  }

  /** The statistics as they are now; the same object until the next {@link #record}. */
  public OfferStats snapshot() {
    if (changed) {
      Map<RejectReason, Long> p = new EnumMap<>(RejectReason.class);
      Map<RejectReason, Long> d = new EnumMap<>(RejectReason.class);
      for (RejectReason reason : REASONS) {
        p.put(reason, processedBy[reason.ordinal()]);
        d.put(reason, declinedBy[reason.ordinal()]);
      }
      snapshot = new OfferStats(processed, unused, lastUnusedAt, lastUsedAt, p, d, lastRejection,
          new ArrayList<>(lastUnused.values()));
      changed = false;
    }
    return snapshot;
  }
}
