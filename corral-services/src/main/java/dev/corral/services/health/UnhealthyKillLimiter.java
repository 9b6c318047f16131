package dev.corral.services.health;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How fast the scheduler may kill tasks for failing their health checks, so that a sick network, a slow
 * shared dependency or a check that is wrong for every task cannot take a whole app, or the cluster, down at
 * once. Two limits, both must allow a kill:
 * <ul>
 *   <li>per app: at most {@code max(1, 10% of its instances)} unhealthy kills in flight (killed, not yet ended);
 *   <li>cluster-wide: a token bucket of {@value #DEFAULT_BURST} kills, refilled at {@value #DEFAULT_BURST} per
 *       {@link #DEFAULT_REFILL} (one a second).
 * </ul>
 * A task refused now is not remembered: it is considered again on its next health report, which comes with
 * every further failure.
 *
 * <p>Soft state, owned by the scheduler's event loop (not thread-safe); after a failover both limits start
 * afresh. Time is passed in. Memory: per app at most its limit of task ids, pruned on each decision for it.
 */
public final class UnhealthyKillLimiter {
  public static final int DEFAULT_BURST = 10;
  public static final Duration DEFAULT_REFILL = Duration.ofSeconds(10);
  /** The share of an app's instances that may be down for health kills at once. */
  static final double APP_SHARE = 0.1;

  private final int burst;
  private final double tokensPerNano;
  private double tokens;
  private Instant refilledAt;
  private final Map<String, Set<String>> inFlight = new HashMap<>();

  /** Marathon-like defaults: 10 kills at once cluster-wide, then one a second. */
  public UnhealthyKillLimiter() {
    this(DEFAULT_BURST, DEFAULT_REFILL);
  }

  /**
   * @param burst kills allowed at once cluster-wide (the bucket's size)
   * @param refill the time in which an empty bucket fills up again
   */
  public UnhealthyKillLimiter(int burst, Duration refill) {
    if (burst < 1 || refill.isZero() || refill.isNegative()) {
      throw new IllegalArgumentException("need burst >= 1 and a positive refill time");
    }
    this.burst = burst;
    this.tokensPerNano = burst / (double) refill.toNanos();
    this.tokens = burst;
  }

  /** How many unhealthy kills an app of this size may have in flight. */
  public static int appLimit(int instances) {
    return Math.max(1, (int) Math.floor(instances * APP_SHARE));
  }

  /**
   * Asks to kill one unhealthy task; on yes, the kill is counted in flight for its app until
   * {@code stillLive} says the task is gone.
   *
   * @param instances the app's target instance count
   * @param stillLive whether a task killed earlier is still alive (its kill still in flight)
   */
  public boolean tryKill(String appId, String taskId, int instances, Instant now, Predicate<String> stillLive) {
    Set<String> killing = inFlight.computeIfAbsent(appId, k -> new LinkedHashSet<>());
    killing.removeIf(stillLive.negate());
    if (killing.contains(taskId)) {
      return false; // already on its way
    }
    if (killing.size() >= appLimit(instances)) {
      dropIfEmpty(appId, killing);
      return false;
    }
    refill(now);
    if (tokens < 1) {
      dropIfEmpty(appId, killing);
      return false;
    }
    tokens -= 1;
    killing.add(taskId);
    return true;
  }

  /** Unhealthy kills of the app still in flight (after pruning those that ended). */
  public int inFlight(String appId, Predicate<String> stillLive) {
    Set<String> killing = inFlight.get(appId);
    if (killing == null) {
      return 0;
    }
    killing.removeIf(stillLive.negate());
    dropIfEmpty(appId, killing);
    return killing.size();
  }

  private void refill(Instant now) {
    if (refilledAt != null && now.isAfter(refilledAt)) {
      tokens = Math.min(burst, tokens + Duration.between(refilledAt, now).toNanos() * tokensPerNano);
    }
    if (refilledAt == null || now.isAfter(refilledAt)) {
      refilledAt = now;
    }
  }

  private void dropIfEmpty(String appId, Set<String> killing) {
    if (killing.isEmpty()) {
      inFlight.remove(appId);
    }
  }
}
