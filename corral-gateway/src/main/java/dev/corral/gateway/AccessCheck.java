package dev.corral.gateway;

import io.javalin.http.Context;

/**
 * Whether the caller of a request may use a task (exec into it, read its logs and files): the one place the
 * task routes ask, once they know which app or pod the task belongs to, so that authorisation plugs in here
 * (permissions such as {@code corral:task:exec:/prod/web}) without touching the routes. Called on Jetty's
 * and the gateway's threads; implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface AccessCheck {
  /** Lets everything through: a cluster without authentication. */
  AccessCheck ALLOW_ALL = (request, use, taskId, runSpecId) -> null;

  /**
   * A request attribute (Boolean) set when the caller's {@code Authorization} header carried its Corral
   * credentials: the service proxy then keeps that header from the service, whatever its scheme.
   */
  String CREDENTIAL_IN_AUTHORIZATION = "corral.credential-in-authorization";

  /** What a caller does with a task. */
  enum TaskUse {
    /** Runs commands inside it ({@code corral task exec}). */
    EXEC,
    /** Reads its logs and its sandbox's files. */
    LOGS
  }

  /**
   * A refusal: 401 when the caller is unknown, 403 when not allowed; {@code json} is the answer's body in the
   * gateway's refusal shape ({@code title}, {@code message}, {@code code}, and for a 403 the {@code permission}
   * and {@code action} that would allow it).
   */
  record Denial(int status, String message, String json) {}

  /**
   * @param request the HTTP request (its headers carry the caller's credentials)
   * @param runSpecId the app or pod the task belongs to; null when the task is not a service's (another
   *     framework's, or unknown), which leaves only the cluster-wide permission
   * @return null when allowed; otherwise the refusal to answer with
   */
  Denial denyTask(Context request, TaskUse use, String taskId, String runSpecId);
}
