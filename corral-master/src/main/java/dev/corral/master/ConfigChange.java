package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.Attribute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for changing an agent's configuration across a restart (docs/operations.md): adding resources or
 * attributes is always fine; changing the hostname, changing or removing an attribute, or shrinking a
 * resource needs the node drained first, since running tasks were placed by the old settings. Stateless.
 */
final class ConfigChange {
  private ConfigChange() {}

  /**
   * Why this re-registration must be refused, or null. Only refused when the agent comes back with live
   * tasks and is not DRAINED: an empty or drained node may change anything.
   */
  static String problem(Agent agent, AgentInfo reported, List<AgentTask> tasks) {
    if (!agent.admitted || agent.mode == MaintenanceMode.DRAINED) {
      return null;
    }
    long live = tasks.stream().filter(t -> !TaskLifecycle.isTerminal(t.getLatestStatus().getState())).count();
    if (live == 0) {
      return null;
    }
    List<String> changes = changes(agent.info, reported);
    if (changes.isEmpty()) {
      return null;
    }
    return "agent " + agent.id + " came back with a configuration that needs a drain first (" + String.join("; ",
        changes) + ") while it runs " + live + " task(s): restart it with its previous settings, or drain it"
        + " (corral node drain " + agent.id + "), restart it with the new ones, then reactivate it"
        + " (docs/operations.md)";
  }

  static List<String> changes(AgentInfo before, AgentInfo after) {
    List<String> out = new ArrayList<>();
    if (!before.getHostname().equals(after.getHostname())) {
      out.add("hostname " + before.getHostname() + " -> " + after.getHostname());
    }
    Map<String, String> now = new HashMap<>();
    for (Attribute a : after.getAttributesList()) {
      now.put(a.getName(), a.getText());
    }
    for (Attribute a : before.getAttributesList()) {
      String value = now.get(a.getName());
      if (value == null) {
        out.add("attribute " + a.getName() + " removed");
      } else if (!value.equals(a.getText())) {
        out.add("attribute " + a.getName() + " " + a.getText() + " -> " + value);
      }
    }
    ResourceSet had = ResourceSet.fromProto(before.getResourcesList());
    ResourceSet has = ResourceSet.fromProto(after.getResourcesList());
    if (!has.contains(had)) {
      out.add("resources shrank: " + Resources.shortfall(had, has).replace("the offer has", "the agent has"));
    }
    return out;
  }
}
