package dev.corral.gateway;

import dev.corral.services.engine.ServiceTargets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * WebSockets under {@code /service/<name>/…}: an upgrade request there is tunnelled ({@link WebSocketTunnel})
 * to a task of the service, chosen as {@link ServiceProxy} chooses one, at the same path and query.
 *
 * <p>Refusals reach the client as plain HTTP: 404 no such service, 503 no task that may serve, 502 the task did
 * not take the upgrade or cannot be reached, and the task's own handshake refusal with its status. Headers go on
 * as the client sent them (cookies, Origin, Authorization for the app), except hop-by-hop ones, those of the
 * handshake itself and the caller's Corral credentials (as {@link Forwarder} does); paths that could climb out
 * of the prefix are refused as in {@link ServiceProxy#rest}; the subprotocols the client offers are offered to
 * the task.
 */
final class ServiceWebSocketProxy {
  private static final String PREFIX = "/service/";
  private static final long LOOKUP_SECONDS = 10;

  private final ServiceLocator locator;
  private final WebSocketTunnel tunnel = new WebSocketTunnel();

  ServiceWebSocketProxy(ServiceLocator locator) {
    this.locator = locator;
  }

  void install(RoutesConfig routes) {
    for (String path : List.of("/service/{name}", "/service/{name}/<rest>")) {
      tunnel.install(routes, path, this::beforeUpgrade);
    }
  }

  private void beforeUpgrade(Context ctx) throws Exception {
    String name = ctx.pathParam("name");
    String prefix = PREFIX + name;
    String rest = ServiceProxy.rest(ctx.req().getRequestURI(), name);
    if (rest == null) {
      throw new ExecProxy.Refused(400, "path: dot segments (also encoded, or after a backslash) are not allowed"
          + " under " + prefix + "/");
    }
    if (rest.isEmpty()) {
      rest = "/";
    }
    ServiceTargets targets = locator.find(name).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
    if (targets.appIds().isEmpty()) {
      throw new ExecProxy.Refused(404, "No app is labelled DCOS_SERVICE_NAME=" + name + "; see corral app list.");
    }
    List<ServiceTargets.Target> serving = targets.serving();
    if (serving.isEmpty()) {
      throw new ExecProxy.Refused(503, "service " + name + " has no healthy task; see corral app show "
          + String.join(", ", targets.appIds()));
    }
    ServiceTargets.Target t = serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    URI target = URI.create(("https".equals(t.scheme()) ? "wss" : "ws") + "://" + t.host() + ":" + t.port() + rest
        + query);
    boolean credentialsInAuthorization = Boolean.TRUE.equals(ctx.attribute(AccessCheck.CREDENTIAL_IN_AUTHORIZATION));
    WebSocketTunnel.HeaderPolicy withoutCorralCredentials = (lower, header, value) ->
        lower.equals("authorization") && credentialsInAuthorization ? null
            : Forwarder.withoutGatewayCredentials(header, value);
    tunnel.connect(ctx, target, "task " + t.taskId() + " of " + t.appId() + " at " + t.host() + ":" + t.port(),
        withoutCorralCredentials, Map.of("X-Forwarded-Prefix", prefix, "X-Forwarded-For", ctx.ip()));
  }
}
