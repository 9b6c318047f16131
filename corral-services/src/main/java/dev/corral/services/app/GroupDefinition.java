package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.services.pod.PodApps;
import dev.corral.services.pod.PodValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A submitted group (POST/PUT /v2/groups), flattened: every app of it and of its nested groups with an
 * absolute id, and every group with its absolute dependencies. Ids inside a group are relative to it
 * ({@code web} in {@code /prod} is {@code /prod/web}); an app or group must be a direct child of the group
 * that lists it. Errors carry JSON pointer paths into the body ({@code /groups/0/apps/1/cmd}).
 *
 * @param apps app id → its definition (cleaned, with the absolute id), in body order; pods in their app-shaped form
 * @param groups group id → its dependencies (absolute), outermost first
 */
public record GroupDefinition(Map<String, ObjectNode> apps, Map<String, List<String>> groups,
    List<Violation> violations) {

  /**
   * @param id the group the body describes (from the URL, or the body's id resolved against {@code parent})
   */
  public static GroupDefinition parse(ObjectNode body, String id) {
    GroupDefinition out = new GroupDefinition(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
    out.walk(body, id, "");
    return out;
  }

  /** The absolute id a body's "id" names when posted under {@code parent}; throws saying why not. */
  public static String resolveId(String parent, JsonNode id) {
    if (id == null || !id.isTextual()) {
      throw new IllegalArgumentException("must be given as a string");
    }
    return id.asText().equals("/") ? "/" : AppIds.resolve(parent, id.asText());
  }

  private void walk(ObjectNode group, String id, String path) {
    groups.put(id, dependencies(group.get("dependencies"), id, path));
    JsonNode apps = group.get("apps");
    if (apps != null && !apps.isNull()) {
      if (!apps.isArray()) {
        violations.add(new Violation(path + "/apps", "must be an array of apps"));
      } else {
        for (int i = 0; i < apps.size(); i++) {
          app(apps.get(i), id, path + "/apps/" + i);
        }
      }
    }
    JsonNode pods = group.get("pods");
    if (pods != null && !pods.isNull()) {
      if (!pods.isArray()) {
        violations.add(new Violation(path + "/pods", "must be an array of pods"));
      } else {
        for (int i = 0; i < pods.size(); i++) {
          pod(pods.get(i), id, path + "/pods/" + i);
        }
      }
    }
    JsonNode children = group.get("groups");
    if (children != null && !children.isNull()) {
      if (!children.isArray()) {
        violations.add(new Violation(path + "/groups", "must be an array of groups"));
        return;
      }
      for (int i = 0; i < children.size(); i++) {
        String at = path + "/groups/" + i;
        if (!(children.get(i) instanceof ObjectNode child)) {
          violations.add(new Violation(at, "must be a group object"));
          continue;
        }
        String childId = childId(child.get("id"), id, at);
        if (childId == null) {
          continue;
        }
        if (groups.containsKey(childId)) {
          violations.add(new Violation(at + "/id", "group " + childId + " is listed twice"));
          continue;
        }
        walk(child, childId, at);
      }
    }
  }

  private void app(JsonNode node, String groupId, String at) {
    if (!(node instanceof ObjectNode body)) {
      violations.add(new Violation(at, "must be an app object"));
      return;
    }
    String appId = childId(body.get("id"), groupId, at);
    if (appId == null) {
      return;
    }
    if (apps.containsKey(appId)) {
      violations.add(new Violation(at + "/id", "app " + appId + " is listed twice"));
      return;
    }
    ObjectNode clean = AppNormalizer.clean(body);
    clean.put("id", appId);
    for (Violation v : AppValidator.validate(clean)) {
      violations.add(new Violation(at + v.path(), v.error()));
    }
    apps.put(appId, clean);
  }

  /** A pod of the group, kept in its app-shaped form ({@link PodApps}) beside the apps. */
  private void pod(JsonNode node, String groupId, String at) {
    if (!(node instanceof ObjectNode body)) {
      violations.add(new Violation(at, "must be a pod object"));
      return;
    }
    String podId = childId(body.get("id"), groupId, at);
    if (podId == null) {
      return;
    }
    if (apps.containsKey(podId)) {
      violations.add(new Violation(at + "/id", "pod " + podId + " is listed twice, or as an app too"));
      return;
    }
    ObjectNode pod = body.deepCopy();
    pod.put("id", podId);
    List<Violation> found = PodValidator.validate(pod);
    for (Violation v : found) {
      violations.add(new Violation(at + v.path(), v.error()));
    }
    if (found.isEmpty()) {
      apps.put(podId, PodApps.toApp(pod, podId));
    }
  }

  /** A member's absolute id, which must be a direct child of its group; null (and a violation) if not. */
  private String childId(JsonNode id, String groupId, String at) {
    String resolved;
    try {
      resolved = resolveId(groupId, id);
    } catch (IllegalArgumentException e) {
      violations.add(new Violation(at + "/id", e.getMessage()));
      return null;
    }
    if (!AppIds.parent(resolved).equals(groupId)) {
      violations.add(new Violation(at + "/id", "identifier " + resolved + " is not a child of group " + groupId));
      return null;
    }
    return resolved;
  }

  private List<String> dependencies(JsonNode deps, String id, String path) {
    List<String> out = new ArrayList<>();
    if (deps == null || deps.isNull()) {
      return out;
    }
    if (!deps.isArray()) {
      violations.add(new Violation(path + "/dependencies", "must be an array of ids"));
      return out;
    }
    for (int i = 0; i < deps.size(); i++) {
      try {
        out.add(AppIds.resolve(AppIds.parent(id), deps.get(i).asText()));
      } catch (IllegalArgumentException e) {
        violations.add(new Violation(path + "/dependencies/" + i, e.getMessage()));
      }
    }
    return out;
  }
}
