package dev.corral.services.instance;

import java.time.Instant;

/**
 * What the agent last reported of one health check of a task (Marathon's {@code healthCheckResults} entry).
 *
 * @param index the check's position in the app's {@code healthChecks}
 * @param alive whether the last counted probe passed
 * @param firstSuccess null until a probe passed
 * @param lastSuccess null until a probe passed; the agent reports passes only when the health changes, so
 *     this is the time of the first pass after a change, not of the latest probe
 * @param lastFailure null until a failure counted
 * @param lastFailureCause "" until a failure counted
 */
public record HealthResult(int index, boolean alive, int consecutiveFailures, Instant firstSuccess,
    Instant lastSuccess, Instant lastFailure, String lastFailureCause) {

  public HealthResult {
    lastFailureCause = lastFailureCause == null ? "" : lastFailureCause;
  }
}
