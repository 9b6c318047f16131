package dev.corral.services.instance;

import dev.corral.api.v1.HealthCheckResult;
import dev.corral.api.v1.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's health and readiness as its agent last reported them; observed state, written only from status
 * updates. Immutable.
 *
 * @param healthy true when every health check is alive, false when one is not, null while unknown (no checks,
 *     or not all have a result yet)
 * @param ready whether every readiness check passed; null when the agent reported none (no checks)
 * @param results one entry per health check with a result, in check order
 */
public record TaskHealth(Boolean healthy, Boolean ready, List<HealthResult> results) {
  /** Nothing reported: what a task has at launch and what instances stored before health existed read as. */
  public static final TaskHealth NONE = new TaskHealth(null, null, List.of());

  public TaskHealth {
    results = List.copyOf(results);
  }

  /**
   * The health after a status. A status that says nothing about checks (a plain RUNNING, a terminal state, a
   * reconciliation answer without them) keeps what was known.
   */
  public static TaskHealth from(TaskStatus status, TaskHealth previous) {
    if (!status.getHasHealth() && status.getHealthResultsCount() == 0 && !status.hasReady()) {
      return previous;
    }
    List<HealthResult> results = new ArrayList<>(status.getHealthResultsCount());
    for (HealthCheckResult r : status.getHealthResultsList()) {
      results.add(new HealthResult(r.getIndex(), r.getAlive(), r.getConsecutiveFailures(),
          time(r.getFirstSuccessMillis()), time(r.getLastSuccessMillis()), time(r.getLastFailureMillis()),
          r.getLastFailureCause()));
    }
    Boolean healthy = status.getHasHealth() ? Boolean.valueOf(status.getHealthy()) : null;
    Boolean ready = status.hasReady() ? Boolean.valueOf(status.getReady()) : previous.ready();
    return new TaskHealth(healthy, ready, results);
  }

  /** The result of the check at {@code index}, or null while it has none. */
  public HealthResult result(int index) {
    for (HealthResult r : results) {
      if (r.index() == index) {
        return r;
      }
    }
    return null;
  }

  private static Instant time(long millis) {
    return millis <= 0 ? null : Instant.ofEpochMilli(millis);
  }
}
