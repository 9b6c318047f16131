package dev.corral.services.engine;

import dev.corral.state.StorePaths;

/**
 * Where the service scheduler keeps its hard state; one node per entity (ZooKeeper's 1 MB limit):
 * <pre>
 * /services/framework-id                          the framework id (UTF-8)
 * /services/apps/&lt;seg(appId)&gt;                     the current app definition (JSON)
 * /services/app-versions/&lt;seg(appId)&gt;/&lt;seg(version)&gt;  every stored version of it (newest {@value #MAX_VERSIONS})
 * /services/instances/&lt;instanceId&gt;               one instance: goal, state, current task (JSON)
 * /services/task-failures/&lt;seg(appId)&gt;            the app's last unexpected task end (JSON)
 * /services/deployments/&lt;deploymentId&gt;           a running deployment: its plan and current step (JSON)
 * /services/groups/&lt;seg(groupId)&gt;                an explicitly created group: dependencies, version (JSON)
 * </pre>
 * {@code seg} is {@link StorePaths#segment}: app ids contain '/', versions contain ':'.
 */
public final class ServicePaths {
  public static final String ROOT = "/services";
  public static final String FRAMEWORK_ID = ROOT + "/framework-id";
  public static final String APPS = ROOT + "/apps";
  public static final String APP_VERSIONS = ROOT + "/app-versions";
  public static final String INSTANCES = ROOT + "/instances";
  public static final String TASK_FAILURES = ROOT + "/task-failures";
  public static final String DEPLOYMENTS = ROOT + "/deployments";
  public static final String GROUPS = ROOT + "/groups";
  /** Like Marathon's zk_max_versions: older versions are deleted when a new one is stored. */
  public static final int MAX_VERSIONS = 50;

  private ServicePaths() {}

  public static String app(String appId) {
    return APPS + "/" + StorePaths.segment(appId);
  }

  public static String appVersions(String appId) {
    return APP_VERSIONS + "/" + StorePaths.segment(appId);
  }

  public static String appVersion(String appId, String version) {
    return appVersions(appId) + "/" + StorePaths.segment(version);
  }

  public static String instance(String instanceId) {
    return INSTANCES + "/" + StorePaths.segment(instanceId);
  }

  public static String deployment(String deploymentId) {
    return DEPLOYMENTS + "/" + StorePaths.segment(deploymentId);
  }

  public static String group(String groupId) {
    return GROUPS + "/" + StorePaths.segment(groupId);
  }

  public static String taskFailure(String appId) {
    return TASK_FAILURES + "/" + StorePaths.segment(appId);
  }
}
