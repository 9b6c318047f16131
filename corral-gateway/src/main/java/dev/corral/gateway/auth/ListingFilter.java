package dev.corral.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Marathon listings narrowed to the apps and pods a caller may read: {@code /v2/apps}, {@code /v2/tasks} (JSON
 * and Marathon's text format), {@code /v2/pods}, {@code /v2/pods/::status}, {@code /v2/queue} and
 * {@code /v2/deployments} (a deployment shows when any app or pod it affects is readable, trimmed to those,
 * as on the event stream). Stateless.
 */
final class ListingFilter {
  private static final java.util.Set<String> LISTINGS = java.util.Set.of("/v2/apps", "/v2/tasks", "/v2/queue",
      "/v2/pods", "/v2/pods/::status", "/v2/deployments");

  private ListingFilter() {}

  /** Whether {@code path} is one of the listings narrowed here (only those answers are read). */
  static boolean narrows(String path) {
    return LISTINGS.contains(normal(path));
  }

  private static String normal(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * The answer to {@code GET path} as {@code readable} may see it; null when the path is no listing (or the
   * body not one of its shapes), which leaves the answer as it is.
   */
  static String filter(String path, String body, Predicate<String> readable) throws IOException {
    String p = normal(path);
    if (p.equals("/v2/tasks") && !body.startsWith("{")) {
      return text(body, readable);
    }
    if (!body.startsWith("{") && !body.startsWith("[")) {
      return null;
    }
    JsonNode root = Json.mapper().readTree(body);
    switch (p) {
      case "/v2/apps" -> keep(root.get("apps"), item -> readable.test(item.path("id").asText("/")));
      case "/v2/tasks" -> keep(root.get("tasks"), item -> readable.test(item.path("appId").asText("/")));
      case "/v2/queue" -> keep(root.get("queue"), item -> readable.test(
          item.has("pod") ? item.path("pod").path("id").asText("/") : item.path("app").path("id").asText("/")));
      case "/v2/pods", "/v2/pods/::status" -> keep(root, item -> readable.test(item.path("id").asText("/")));
      case "/v2/deployments" -> deployments(root, readable);
      default -> {
        return null;
      }
    }
    return Json.mapper().writeValueAsString(root);
  }

  private static void keep(JsonNode items, Predicate<JsonNode> shown) {
    if (items instanceof ArrayNode array) {
      for (int i = array.size() - 1; i >= 0; i--) {
        if (!shown.test(array.get(i))) {
          array.remove(i);
        }
      }
    }
  }

  private static void deployments(JsonNode root, Predicate<String> readable) {
    keep(root, d -> {
      List<String> ids = new ArrayList<>();
      d.path("affectedApps").forEach(n -> ids.add(n.asText()));
      d.path("affectedPods").forEach(n -> ids.add(n.asText()));
      return ids.isEmpty() || ids.stream().anyMatch(readable);
    });
    Predicate<JsonNode> readableAction = a -> readable.test(a.has("pod") ? a.path("pod").asText("/")
        : a.path("app").asText("/"));
    for (JsonNode d : root) {
      keep(d.get("affectedApps"), n -> readable.test(n.asText()));
      keep(d.get("affectedPods"), n -> readable.test(n.asText()));
      keep(d.get("currentActions"), readableAction);
      for (JsonNode step : d.path("steps")) {
        keep(step.get("actions"), readableAction); // steps keep their places: currentStep/totalSteps still add up
      }
    }
  }

  /** Marathon's text task list: one line per app and port, starting {@code <prefix>_<servicePort>}. */
  private static String text(String body, Predicate<String> readable) {
    StringBuilder out = new StringBuilder();
    for (String line : body.split("\n")) {
      int tab = line.indexOf('\t');
      String name = tab < 0 ? line : line.substring(0, tab);
      int underscore = name.lastIndexOf('_');
      if (line.isEmpty() || underscore <= 0) {
        continue;
      }
      // ids never contain '_', so the prefix reads back to the app id
      if (readable.test("/" + name.substring(0, underscore).replace('_', '/'))) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
