package dev.corral.gateway.auth;

import static dev.corral.gateway.auth.Permissions.CREATE;
import static dev.corral.gateway.auth.Permissions.DELETE;
import static dev.corral.gateway.auth.Permissions.READ;
import static dev.corral.gateway.auth.Permissions.UPDATE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The permission each API route needs: one table for every API the gateway serves (Marathon, Metronome,
 * Cosmos, operator, logs and files, metrics, exec, the service proxy, discovery, the ACL API). A route
 * not listed here needs {@code corral:superuser}, so a new route is closed until someone decides.
 *
 * <p>Marathon ids are checked against {@code corral:service:marathon:<id>} (the id from the path, or from
 * the body when the path has none). Stateless and thread-safe.
 */
public final class RouteRules {
  /** Words after an app id in /v2/apps paths that are not part of the id. */
  private static final Set<String> APP_SUFFIXES = Set.of("tasks", "versions", "restart", "instances");

  private RouteRules() {}

  /**
   * @param method upper-case HTTP method
   * @param path the request path (no query)
   * @param body the request body (for ids of POSTs), possibly empty
   */
  public static Requirement of(String method, String path, String body) {
    boolean get = method.equals("GET") || method.equals("HEAD");
    if (path.equals("/") || path.equals("/ui") || path.startsWith("/ui/") || path.equals("/ping")
        || path.equals("/favicon.ico")) {
      return Requirement.PUBLIC;
    }
    if (path.equals("/acs/api/v1/auth/login") || path.equals("/acs/api/v1/auth/status")) {
      return Requirement.PUBLIC;
    }
    if (path.equals("/acs/api/v1/auth/logout") || path.equals("/acs/api/v1/auth/whoami")) {
      return Requirement.AUTHENTICATED;
    }
    if (method.equals("PATCH") && path.startsWith("/acs/api/v1/users/")
        && path.indexOf('/', "/acs/api/v1/users/".length()) < 0) {
      return Requirement.AUTHENTICATED; // a password change: one's own, or any with corral:acs (AuthApi checks)
    }
    if (path.startsWith("/acs/")) {
      return Requirement.of(Permissions.ACS, get ? READ : Permissions.FULL);
    }
    if (path.equals("/v2/info") || path.equals("/v2/leader") && get) {
      return Requirement.AUTHENTICATED;
    }
    if (path.equals("/v2/apps") || path.equals("/v2/apps/")) {
      return switch (method) {
        case "GET", "HEAD" -> new Requirement.Listing(Permissions.MARATHON, READ);
        case "POST" -> Requirement.of(Permissions.marathon(idFromBody(body)), CREATE);
        case "PUT", "PATCH" -> new Requirement.Permission(idsFromArray(body, UPDATE));
        default -> superuser();
      };
    }
    if (path.startsWith("/v2/apps/")) {
      String id = appId(path.substring("/v2/apps".length()));
      String resource = Permissions.marathon(id);
      String after = path.substring("/v2/apps".length() + id.length());
      boolean underTasks = after.startsWith("/tasks");
      if (get && (after.equals("/tasks") || after.equals("/tasks/"))) {
        // discovery: where an app's tasks run (hosts and ports), what DNS publishes to anyone anyway; the
        // catalog's services find their peers this way ($CORRAL_URL/v2/apps/<id>/tasks) and hold no token
        return Requirement.PUBLIC;
      }
      return switch (method) {
        case "GET", "HEAD" -> Requirement.of(resource, READ);
        case "PUT", "PATCH", "POST" -> Requirement.of(resource, UPDATE);
        case "DELETE" -> Requirement.of(resource, underTasks ? UPDATE : DELETE);
        default -> superuser();
      };
    }
    if (path.equals("/v2/groups") || path.startsWith("/v2/groups/")) {
      String id = path.length() > "/v2/groups".length() ? path.substring("/v2/groups".length()) : "/";
      id = trimSlash(id);
      if (method.equals("POST") && id.equals("/")) {
        id = idFromBody(body);
      }
      String resource = Permissions.marathon(id);
      return switch (method) {
        case "GET", "HEAD" -> Requirement.of(resource, READ);
        case "POST" -> Requirement.of(resource, CREATE);
        case "PUT", "PATCH" -> Requirement.of(resource, UPDATE);
        case "DELETE" -> Requirement.of(resource, DELETE);
        default -> superuser();
      };
    }
    if (path.equals("/v2/tasks")) {
      return get ? new Requirement.Listing(Permissions.MARATHON, READ) : superuser();
    }
    if (path.startsWith("/v2/tasks/")) {
      // killing tasks by id (POST /v2/tasks/delete) reaches across apps: the whole tree's update
      return Requirement.of(Permissions.marathon("/"), UPDATE);
    }
    if (path.equals("/v2/queue") || path.equals("/v2/deployments") || path.equals("/v2/events")) {
      return get ? new Requirement.Listing(Permissions.MARATHON, READ) : superuser();
    }
    if (path.startsWith("/v2/queue/")) {
      String id = path.substring("/v2/queue".length());
      id = id.endsWith("/delay") ? id.substring(0, id.length() - "/delay".length()) : id;
      return Requirement.of(Permissions.marathon(id), get ? READ : UPDATE);
    }
    if (path.startsWith("/v2/deployments/")) {
      return get ? new Requirement.Listing(Permissions.MARATHON, READ) : Requirement.of(Permissions.marathon("/"), UPDATE);
    }
    if (path.startsWith("/v2/pods")) {
      String id = trimSlash(path.substring("/v2/pods".length()));
      int colon = id.indexOf("::");
      if (colon >= 0) {
        id = id.substring(0, colon);
      }
      if (id.equals("/") && method.equals("POST")) {
        id = idFromBody(body);
      }
      if (id.equals("/") && get) {
        return new Requirement.Listing(Permissions.MARATHON, READ);
      }
      String resource = Permissions.marathon(id);
      return switch (method) {
        case "GET", "HEAD" -> Requirement.of(resource, READ);
        case "POST" -> Requirement.of(resource, path.contains("::") ? UPDATE : CREATE);
        case "PUT", "PATCH" -> Requirement.of(resource, UPDATE);
        case "DELETE" -> Requirement.of(resource, path.contains("::") ? UPDATE : DELETE);
        default -> superuser();
      };
    }
    if (path.startsWith("/v1/jobs") || path.equals("/v1/queue")) {
      String rest = path.startsWith("/v1/jobs/") ? path.substring("/v1/jobs/".length()) : "";
      String job = rest.isEmpty() ? null : rest.split("/", 2)[0];
      if (job == null) {
        if (get) {
          return new Requirement.Listing(Permissions.JOBS, READ);
        }
        return method.equals("POST") ? Requirement.of(Permissions.JOBS + ":" + idFromBody(body).replaceFirst("^/", ""), CREATE)
            : superuser();
      }
      String resource = Permissions.JOBS + ":" + job;
      boolean whole = !rest.contains("/");
      return switch (method) {
        case "GET", "HEAD" -> Requirement.of(resource, READ);
        case "DELETE" -> Requirement.of(resource, whole ? DELETE : UPDATE);
        default -> Requirement.of(resource, UPDATE);
      };
    }
    if (path.startsWith("/package/")) {
      String op = path.substring("/package/".length());
      return switch (op) {
        case "install" -> Requirement.of(Permissions.PACKAGE_INSTALL, CREATE);
        case "uninstall" -> Requirement.of(Permissions.PACKAGE_INSTALL, DELETE);
        case "repository/add", "repository/delete" -> Requirement.of(Permissions.PACKAGE_REPOSITORY, UPDATE);
        default -> Requirement.of(Permissions.PACKAGE, READ);
      };
    }
    if (path.startsWith("/system/v1/logs/tasks/") || path.startsWith("/system/v1/files/tasks/")) {
      // a task's logs and files: cluster-wide, or per app once the route knows the task's app
      return get ? new Requirement.PerTask(new Requirement.Needed(Permissions.LOGS, READ), Permissions.TASK_LOGS)
          : superuser();
    }
    if (path.startsWith("/system/v1/logs/") || path.startsWith("/system/v1/files/")
        || path.startsWith("/logs/v1/") || path.startsWith("/files/v1/")) {
      return get ? Requirement.of(Permissions.LOGS, READ) : superuser(); // a node's own logs: cluster-wide only
    }
    if (path.startsWith("/system/v1/exec/tasks/")) {
      return new Requirement.PerTask(new Requirement.Needed(Permissions.TASK_EXEC, CREATE), Permissions.TASK_EXEC);
    }
    if (path.startsWith("/system/v1/exec/")) {
      return Requirement.of(Permissions.TASK_EXEC, CREATE);
    }
    if (path.startsWith("/system/v1/metrics/") || path.startsWith("/system/v1/agent/") || path.equals("/metrics")) {
      return get ? Requirement.of(Permissions.METRICS, READ) : superuser();
    }
    if (path.startsWith("/master/")) {
      return Requirement.of(Permissions.OPERATOR, get ? READ : UPDATE);
    }
    if (path.startsWith(SECRETS_API)) {
      // /secrets/v1/secret/<store>/<path>: the secret's own rid; a listing reads its prefix
      String[] storeAndPath = path.substring(SECRETS_API.length()).split("/", 2);
      String secret = storeAndPath.length < 2 ? "" : trimTrailingSlash(storeAndPath[1]);
      String resource = secret.isEmpty() ? Permissions.SECRETS : Permissions.SECRETS + ":" + secret;
      return switch (method) {
        case "GET", "HEAD" -> Requirement.of(resource, READ);
        case "PUT" -> Requirement.of(resource, CREATE);
        case "PATCH" -> Requirement.of(resource, UPDATE);
        case "DELETE" -> Requirement.of(resource, DELETE);
        default -> superuser();
      };
    }
    if (path.startsWith("/v1/discovery/")) {
      return get ? Requirement.PUBLIC : superuser(); // the same records DNS answers to anyone
    }
    if (path.startsWith("/service/")) {
      String rest = path.substring("/service/".length());
      String name = rest.split("/", 2)[0];
      return Requirement.of(Permissions.SERVICE_PROXY + ":" + name, get ? READ : UPDATE);
    }
    return superuser();
  }

  private static final String SECRETS_API = "/secrets/v1/secret/";

  private static String trimTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static Requirement superuser() {
    return Requirement.of(Permissions.SUPERUSER, Permissions.FULL);
  }

  /** The app id of an /v2/apps sub-path: everything before a known suffix word. */
  static String appId(String rest) {
    String[] parts = trimSlash(rest).split("/");
    StringBuilder id = new StringBuilder();
    for (String p : parts) {
      if (p.isEmpty()) {
        continue;
      }
      if (APP_SUFFIXES.contains(p.toLowerCase(Locale.ROOT)) && id.length() > 0) {
        break;
      }
      id.append('/').append(p);
    }
    return id.length() == 0 ? "/" : id.toString();
  }

  private static String trimSlash(String id) {
    String s = id.isEmpty() ? "/" : id;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.startsWith("/") ? s : "/" + s;
  }

  private static String idFromBody(String body) {
    try {
      JsonNode n = Json.mapper().readTree(body == null || body.isBlank() ? "{}" : body);
      String id = n.path("id").asText("");
      return id.isBlank() ? "/" : id;
    } catch (Exception e) {
      return "/"; // unreadable: the API itself answers 400/422; asking for the root keeps it closed
    }
  }

  private static List<Requirement.Needed> idsFromArray(String body, String action) {
    List<Requirement.Needed> out = new ArrayList<>();
    try {
      JsonNode n = Json.mapper().readTree(body == null || body.isBlank() ? "[]" : body);
      for (JsonNode app : n.isArray() ? n : List.of(n)) {
        out.add(new Requirement.Needed(Permissions.marathon(app.path("id").asText("/")), action));
      }
    } catch (Exception e) {
      out.add(new Requirement.Needed(Permissions.marathon("/"), action));
    }
    if (out.isEmpty()) {
      out.add(new Requirement.Needed(Permissions.marathon("/"), action));
    }
    return out;
  }
}
