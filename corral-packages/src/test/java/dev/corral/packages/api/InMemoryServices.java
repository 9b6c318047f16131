package dev.corral.packages.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.packages.install.ServicesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A service scheduler that only remembers what was created: apps by id, groups flattened into their apps. */
final class InMemoryServices implements ServicesClient {
  final Map<String, ObjectNode> apps = new LinkedHashMap<>();
  final List<String> groups = new ArrayList<>();

  @Override
  public synchronized boolean exists(String id) {
    return apps.containsKey(id) || groups.contains(id);
  }

  @Override
  public synchronized String createApp(ObjectNode app) {
    apps.put(app.get("id").asText(), app);
    return "d-" + apps.size();
  }

  @Override
  public synchronized String createGroup(ObjectNode group) {
    String root = group.get("id").asText();
    groups.add(root);
    group.path("apps").forEach(app -> {
      String id = app.get("id").asText();
      ((ObjectNode) app).put("id", id.startsWith("/") ? id : root + "/" + id);
      apps.put(app.get("id").asText(), (ObjectNode) app);
    });
    return "d-g" + groups.size();
  }

  @Override
  public synchronized List<JsonNode> appsLabelled(String label) {
    return apps.values().stream().filter(a -> a.path("labels").has(label)).map(a -> (JsonNode) a).toList();
  }

  @Override
  public synchronized String remove(String id, boolean group) {
    if (group) {
      groups.remove(id);
      apps.keySet().removeIf(appId -> appId.startsWith(id + "/"));
    } else {
      apps.remove(id);
    }
    return "d-rm";
  }
}
