package dev.corral.gateway;

import dev.corral.services.engine.ServiceTargets;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /service/<name>/…}: a reverse proxy to a task of the app labelled {@code DCOS_SERVICE_NAME=<name>},
 * as DC/OS' Admin Router did, so that web UIs such as Flink's dashboard are reachable through the one entry
 * point. Any method; headers, query string and bodies pass through, streamed both ways; redirects are
 * rewritten to stay under the prefix ({@link Locations}); the task sees {@code X-Forwarded-Prefix} so that an
 * app which builds absolute links can include it.
 *
 * <p>Target: a random task that is RUNNING and, when the app has health checks, healthy; its host port at
 * the app's {@code DCOS_SERVICE_PORT_INDEX} label (default 0), with the scheme of {@code DCOS_SERVICE_SCHEME}
 * (default http). No app with that name: 404. No task that may serve: 503 naming the app to look at.
 * {@code /service/<name>} without the slash redirects to {@code /service/<name>/}, so the app's relative
 * links resolve under the prefix.
 */
final class ServiceProxy {
  private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
  private static final String PREFIX = "/service/";
  private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
      HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);
  private static final long LOOKUP_SECONDS = 10;

  private final ServiceLocator locator;
  private final Forwarder forwarder;
  private final ProxyPool pool;

  ServiceProxy(ServiceLocator locator, Forwarder forwarder, ProxyPool pool) {
    this.locator = locator;
    this.forwarder = forwarder;
    this.pool = pool;
  }

  void install(RoutesConfig routes) {
    Handler handler = this::handle;
    for (HandlerType method : METHODS) {
      routes.addHttpHandler(method, "/service/{name}", handler);
      routes.addHttpHandler(method, "/service/{name}/<rest>", handler);
    }
  }

  /**
   * What follows {@code /service/<name>} in the raw request path, or null when the path could climb out of
   * the prefix at the task: a {@code .} or {@code ..} segment once the path is decoded once or twice, with
   * {@code /} or {@code \\} as the separator and {@code ;} parameters ignored; or a name that is not the routed
   * one. Encoded slashes alone pass (RabbitMQ's API names the vhost {@code /} as {@code %2F}).
   */
  static String rest(String rawUri, String name) {
    if (!rawUri.startsWith(PREFIX)) {
      return null;
    }
    int slash = rawUri.indexOf('/', PREFIX.length());
    String rawName = slash < 0 ? rawUri.substring(PREFIX.length()) : rawUri.substring(PREFIX.length(), slash);
    String rest = slash < 0 ? "" : rawUri.substring(slash);
    String decodedName = decode(rawName);
    String once = decode(rest);
    if (decodedName == null || once == null || !decodedName.equals(name)) {
      return null;
    }
    String twice = decode(once); // a task that decodes again must not find a way up either
    for (String decoded : twice == null ? List.of(once) : List.of(once, twice)) {
      for (String segment : decoded.split("[/\\\\]")) {
        int params = segment.indexOf(';');
        String s = params < 0 ? segment : segment.substring(0, params);
        if (s.equals(".") || s.equals("..")) {
          return null;
        }
      }
    }
    return rest;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void handle(Context ctx) {
    String name = ctx.pathParam("name");
    String prefix = PREFIX + name;
    // raw: the task gets the path exactly as the browser sent it, once it is known to stay under the prefix
    String rest = rest(ctx.req().getRequestURI(), name);
    if (rest == null) {
      Replies.json(ctx, 400, "path: dot segments (also encoded, or after a backslash) are not allowed under "
          + prefix + "/");
      return;
    }
    if (rest.isEmpty()) {
      String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
      ctx.status(307).header("Location", prefix + "/" + query);
      return;
    }
    ServiceTargets targets;
    try {
      // a lookup on the scheduler's loop, short; the exchange itself then holds no thread
      targets = locator.find(name).get(LOOKUP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Replies.page(ctx, 503, "Service " + name + " unavailable", "the gateway is shutting down");
      return;
    } catch (ExecutionException | TimeoutException e) {
      Replies.page(ctx, 503, "Service " + name + " unavailable", "cannot look up service " + name
          + " (the service scheduler did not answer: " + e + "); retry shortly");
      return;
    }
    if (targets.appIds().isEmpty()) {
      Replies.page(ctx, 404, "No service " + name, "No app is labelled DCOS_SERVICE_NAME=" + name
          + "; see corral app list.");
      return;
    }
    List<ServiceTargets.Target> serving = targets.serving();
    if (serving.isEmpty()) {
      String apps = String.join(", ", targets.appIds());
      Replies.page(ctx, 503, "Service " + name + " unavailable", "service " + name
          + " has no healthy task; see corral app show " + apps);
      return;
    }
    ServiceTargets.Target t = serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
    String authority = t.host() + ":" + t.port();
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    URI target = URI.create(t.scheme() + "://" + authority + rest + query);
    Map<String, String> forwarded = Map.of(
        "X-Forwarded-Prefix", prefix,
        "X-Forwarded-Host", ctx.host() == null ? "" : ctx.host(),
        "X-Forwarded-Proto", ctx.scheme(),
        "X-Forwarded-For", ctx.ip());
    pool.start(ctx, () -> forwarder.forward(ctx.req(), ctx.res(), target, forwarded,
        l -> Locations.rewrite(l, prefix, authority)), e -> {
          if (ctx.res().isCommitted()) {
            log.debug("proxied exchange with {} ended: {}", target, e.toString());
          } else if (e instanceof IOException) {
            Replies.page(ctx, 502, "Service " + name + " unreachable", "task " + t.taskId() + " of " + t.appId()
                + " at " + authority + " did not answer: " + e.getMessage());
          } else {
            Replies.page(ctx, 500, "Proxy error", String.valueOf(e));
          }
        });
  }
}
