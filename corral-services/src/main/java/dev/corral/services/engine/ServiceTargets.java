package dev.corral.services.engine;

import java.util.List;

/**
 * The tasks that can serve {@code /service/<name>/}: those of the apps labelled
 * {@code DCOS_SERVICE_NAME=<name>}, as DC/OS' Admin Router found them. Immutable.
 *
 * @param appIds the apps with that name, sorted; empty when no app has it
 * @param targets their tasks that have a host port at the app's {@code DCOS_SERVICE_PORT_INDEX}
 */
public record ServiceTargets(List<String> appIds, List<Target> targets) {
  public static final String NAME_LABEL = "DCOS_SERVICE_NAME";
  public static final String PORT_INDEX_LABEL = "DCOS_SERVICE_PORT_INDEX";
  public static final String SCHEME_LABEL = "DCOS_SERVICE_SCHEME";

  public ServiceTargets {
    appIds = List.copyOf(appIds);
    targets = List.copyOf(targets);
  }

  /**
   * One task.
   *
   * @param scheme {@code http} or {@code https}
   * @param running whether its last state is TASK_RUNNING
   * @param healthy its health: null while unknown or when the app has no health checks
   * @param hasHealthChecks whether the app has health checks, so that only healthy tasks may serve
   */
  public record Target(String appId, String taskId, String host, int port, String scheme, boolean running,
      Boolean healthy, boolean hasHealthChecks) {
    /** Running, and healthy when the app checks health. */
    public boolean serves() {
      return running && (!hasHealthChecks || Boolean.TRUE.equals(healthy));
    }
  }

  /** The tasks that may serve now. */
  public List<Target> serving() {
    return targets.stream().filter(Target::serves).toList();
  }
}
