package dev.corral.gateway;

import io.javalin.http.Context;

/**
 * Whether the caller of a request may do what it asks: the one place the gateway asks, so that
 * authorization plugs in here (permissions such as {@code corral:task:exec}) without touching the routes.
 * Called on Jetty's threads; implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface AccessCheck {
  /** Lets everything through: a cluster without authentication. */
  AccessCheck ALLOW_ALL = (request, permission, resource) -> null;

  /**
   * A request attribute an implementation may set (an Integer) before returning a refusal: the HTTP status
   * to answer with, 401 when the caller is unknown rather than not allowed; 403 when unset.
   */
  String DENIAL_STATUS = "corral.denial-status";

  /**
   * A request attribute (Boolean) set when the caller's {@code Authorization} header carried its Corral
   * credentials: the service proxy then keeps that header from the service, whatever its scheme.
   */
  String CREDENTIAL_IN_AUTHORIZATION = "corral.credential-in-authorization";

  /** The permission to run commands inside a task; the resource is the task id. */
  String TASK_EXEC = "corral:task:exec";

  /**
   * @param request the HTTP request (its headers carry the caller's credentials)
   * @return null when allowed; otherwise why not, which the caller is told with a 403
   */
  String deny(Context request, String permission, String resource);
}
