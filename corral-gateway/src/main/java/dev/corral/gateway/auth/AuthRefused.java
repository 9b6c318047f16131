package dev.corral.gateway.auth;

/** A request stopped by the gateway's check: 401 (who are you?) or 403 (not allowed), with a JSON body. */
public final class AuthRefused extends RuntimeException {
  public final int status;
  public final String code;
  public final String permission;
  public final String action;

  public AuthRefused(int status, String code, String message, String permission, String action) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.permission = permission;
    this.action = action;
  }

  public static AuthRefused unauthorized(String code, String message) {
    return new AuthRefused(401, code, message, null, null);
  }

  /**
   * Refused the use of a task: neither the cluster-wide permission nor the one for the task's app or pod.
   *
   * @param perApp the permission for the task's app, null when the task belongs to none
   */
  public static AuthRefused forbiddenTask(String uid, String what, String taskId, Requirement.Needed clusterWide,
      Requirement.Needed perApp) {
    String message = "'" + uid + "' may not " + what + " of task " + taskId + ": that needs the permission "
        + clusterWide.resource() + " (" + clusterWide.action() + ")"
        + (perApp == null ? ", as the task belongs to no app or pod"
            : " or " + perApp.resource() + " (" + perApp.action() + ")");
    Requirement.Needed named = perApp == null ? clusterWide : perApp;
    return new AuthRefused(403, "ERR_FORBIDDEN", message, named.resource(), named.action());
  }

  public static AuthRefused forbidden(String uid, Requirement.Needed needed) {
    return new AuthRefused(403, "ERR_FORBIDDEN", "'" + uid + "' lacks the permission " + needed.resource()
        + " (" + needed.action() + ")", needed.resource(), needed.action());
  }
}
