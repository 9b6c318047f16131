package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import dev.corral.services.engine.GroupRecord;
import dev.corral.services.engine.ServicesView;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Marathon's group tree (api-examples/group.json) built from app ids and explicit groups in one pass over
 * the apps: cost is apps × depth, whatever the nesting.
 */
public final class GroupJson {
  private GroupJson() {}

  /** What a group answer embeds: apps (with their own embeds) and subgroups. */
  public record Embeds(boolean apps, boolean groups, Set<AppJson.Embed> appEmbeds) {}

  /** The group and, as embedded, what is inside it; null when no such group exists. */
  public static ObjectNode render(String groupId, ServicesView view, Embeds embeds) {
    Map<String, ObjectNode> nodes = new TreeMap<>();
    Map<String, String> versions = new TreeMap<>();
    String prefix = groupId.equals("/") ? "/" : groupId + "/";
    for (Map.Entry<String, GroupRecord> e : view.groups().entrySet()) {
      if (e.getKey().equals(groupId) || e.getKey().startsWith(prefix)) {
        node(nodes, e.getKey(), groupId, view);
        newest(versions, e.getKey(), e.getValue().version(), groupId);
      }
    }
    for (AppDefinition app : view.apps().values()) {
      if (!app.id().startsWith(prefix)) {
        continue;
      }
      String parent = AppIds.parent(app.id());
      ObjectNode owner = node(nodes, parent, groupId, view);
      if (app.isPod()) {
        ((ArrayNode) owner.get("pods")).add(PodJson.pod(app));
      } else if (embeds.apps()) {
        ((ArrayNode) owner.get("apps")).add(AppJson.render(app, view, embeds.appEmbeds()));
      }
      newest(versions, parent, app.version(), groupId);
    }
    if (!groupId.equals("/") && nodes.isEmpty()) {
      return null;
    }
    ObjectNode root = node(nodes, groupId, groupId, view);
    for (Map.Entry<String, ObjectNode> e : nodes.entrySet()) {
      String version = versions.get(e.getKey());
      if (version != null) {
        e.getValue().put("version", version);
      }
      if (!e.getKey().equals(groupId) && embeds.groups()) {
        ((ArrayNode) nodes.get(AppIds.parent(e.getKey())).get("groups")).add(e.getValue());
      }
    }
    return root;
  }

  /** The node of a group, creating it and its ancestors up to {@code top} (parents before children). */
  private static ObjectNode node(Map<String, ObjectNode> nodes, String id, String top, ServicesView view) {
    ObjectNode n = nodes.get(id);
    if (n != null) {
      return n;
    }
    if (!id.equals(top)) {
      node(nodes, AppIds.parent(id), top, view);
    }
    n = Json.mapper().createObjectNode().put("id", id);
    n.putArray("apps");
    n.putArray("groups");
    n.putArray("pods");
    ArrayNode deps = n.putArray("dependencies");
    GroupRecord record = view.groups().get(id);
    if (record != null) {
      record.dependencies().forEach(deps::add);
      n.put("version", record.version());
    }
    nodes.put(id, n);
    return n;
  }

  /** Records a version on the group and every ancestor up to {@code top}, keeping the newest. */
  private static void newest(Map<String, String> versions, String groupId, String version, String top) {
    for (String g = groupId; ; g = AppIds.parent(g)) {
      versions.merge(g, version, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      if (g.equals(top) || g.equals("/")) {
        return;
      }
    }
  }
}
