package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;

/** What "healthy" means to deployments: the floor of a rolling upgrade counts these. */
public final class InstanceHealth {
  private InstanceHealth() {}

  /**
   * An instance of the app's current config that serves: RUNNING, healthy when the app has health checks,
   * and ready when it has readiness checks.
   */
  public static boolean serving(Instance i, AppDefinition app) {
    if (i.state() != InstanceState.RUNNING || i.task() == null) {
      return false;
    }
    boolean healthy = !hasHealthChecks(app) || Boolean.TRUE.equals(i.task().healthy());
    boolean ready = !hasReadinessChecks(app) || Boolean.TRUE.equals(i.task().ready());
    return healthy && ready;
  }

  /**
   * An instance of an older config that still serves: RUNNING and not reported unhealthy (its own version's
   * checks decided that; an instance without checks counts as long as it runs).
   */
  public static boolean stillServing(Instance i) {
    return i.state() == InstanceState.RUNNING && i.task() != null && !Boolean.FALSE.equals(i.task().healthy());
  }

  public static boolean hasHealthChecks(AppDefinition app) {
    return app.hasHealthChecks();
  }

  public static boolean hasReadinessChecks(AppDefinition app) {
    return !app.readinessChecks().isEmpty();
  }
}
