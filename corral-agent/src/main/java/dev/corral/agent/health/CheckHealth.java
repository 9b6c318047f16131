package dev.corral.agent.health;

import dev.corral.api.v1.HealthCheckResult;
import java.time.Instant;

/**
 * The state of one health check of one task: Marathon's {@code Health}. Immutable; each probe result makes
 * the next value ({@link #after}). Pure, so the counting rules are tested without probing anything.
 *
 * @param counted whether any result has counted yet (before that the health is unknown)
 * @param alive whether the last counted result passed
 * @param firstSuccess null until a probe passed
 * @param lastSuccess null until a probe passed
 * @param lastFailure null until a failure counted
 * @param lastFailureCause "" until a failure counted
 */
public record CheckHealth(boolean counted, boolean alive, int consecutiveFailures, Instant firstSuccess,
    Instant lastSuccess, Instant lastFailure, String lastFailureCause) {

  public static final CheckHealth UNKNOWN = new CheckHealth(false, false, 0, null, null, null, "");

  /**
   * The state after a result. A failure does not count while {@code inGrace} (within the grace period of
   * the task's start) unless a probe already passed once; an ignored result changes nothing.
   */
  public CheckHealth after(ProbeResult result, Instant now, boolean inGrace) {
    switch (result.outcome()) {
      case PASSED:
        return new CheckHealth(true, true, 0, firstSuccess == null ? now : firstSuccess, now, lastFailure,
            lastFailureCause);
      case FAILED:
        if (inGrace && firstSuccess == null) {
          return this;
        }
        return new CheckHealth(true, false, consecutiveFailures + 1, firstSuccess, lastSuccess, now,
            result.cause());
      default:
        return this;
    }
  }

  /**
   * Whether going from this state to {@code next} is worth a status update: the check flips (or gets its first
   * result) or its failure count changes. A pass that follows a pass is not news; neither is an ignored result.
   */
  public boolean worthReporting(CheckHealth next) {
    return counted != next.counted || alive != next.alive || consecutiveFailures != next.consecutiveFailures;
  }

  public HealthCheckResult toProto(int index) {
    return HealthCheckResult.newBuilder()
        .setIndex(index)
        .setAlive(alive)
        .setConsecutiveFailures(consecutiveFailures)
        .setFirstSuccessMillis(millis(firstSuccess))
        .setLastSuccessMillis(millis(lastSuccess))
        .setLastFailureMillis(millis(lastFailure))
        .setLastFailureCause(lastFailureCause)
        .build();
  }

  private static long millis(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }
}
