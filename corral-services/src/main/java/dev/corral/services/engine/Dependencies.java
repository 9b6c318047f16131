package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph as it will be after a change: an app depends on the apps it names and on every app
 * in the groups it names. Names of nothing are ignored (Marathon accepts them too). Reads the model and the
 * change; builds nothing up front, so a change to one app costs only the part of the graph it reaches.
 */
final class Dependencies {
  private final ServiceModel model;
  private final Map<String, AppDefinition> after;
  private final Map<String, GroupRecord> groupsAfter;

  /**
   * @param after the changed apps as they will be (null: removed)
   * @param groupsAfter the changed explicit groups as they will be (null: removed)
   */
  Dependencies(ServiceModel model, Map<String, AppDefinition> after, Map<String, GroupRecord> groupsAfter) {
    this.model = model;
    this.after = after;
    this.groupsAfter = groupsAfter;
  }

  Collection<String> of(String appId) {
    AppDefinition app = definition(appId);
    if (app == null) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    List<String> named = new ArrayList<>(app.dependencies());
    // A group's dependencies hold for every app in it, and in its subgroups.
    for (String g = AppIds.parent(appId); ; g = AppIds.parent(g)) {
      GroupRecord group = groupsAfter.containsKey(g) ? groupsAfter.get(g) : model.group(g);
      if (group != null) {
        named.addAll(group.dependencies());
      }
      if (g.equals("/")) {
        break;
      }
    }
    for (String dep : named) {
      if (dep.equals(appId) || appId.startsWith(dep + "/")) {
        continue;
      }
      if (definition(dep) != null) {
        out.add(dep);
        continue;
      }
      for (String member : model.appIdsUnder(dep)) {
        if (definition(member) != null) {
          out.add(member);
        }
      }
      for (Map.Entry<String, AppDefinition> e : after.entrySet()) {
        if (e.getValue() != null && e.getKey().startsWith(dep + "/")) {
          out.add(e.getKey());
        }
      }
    }
    return out;
  }

  private AppDefinition definition(String appId) {
    return after.containsKey(appId) ? after.get(appId) : model.app(appId);
  }
}
