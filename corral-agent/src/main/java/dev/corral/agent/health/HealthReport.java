package dev.corral.agent.health;

import dev.corral.api.v1.HealthCheckResult;
import java.util.List;

/**
 * What the agent tells the scheduler about a task's checks in one status update.
 *
 * @param results one entry per health check that has a counted result
 * @param healthy true when every health check is alive, false when one is not, null while unknown
 * @param ready whether every readiness check passed; null when the task has none
 * @param trigger what changed: the health, or the readiness
 * @param message a sentence for the update's message
 */
public record HealthReport(List<HealthCheckResult> results, Boolean healthy, Boolean ready, Trigger trigger,
    String message) {
  public enum Trigger { HEALTH, READINESS }

  public HealthReport {
    results = List.copyOf(results);
  }
}
