package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.LaunchedTask;

/** Marathon 1.5's task JSON (api-examples/tasks.json, app_tasks.json). */
public final class TaskJson {
  private TaskJson() {}

  /**
   * @param app the app's current definition, for the service ports; null when the app was deleted
   */
  public static ObjectNode render(Instance instance, AppDefinition app) {
    LaunchedTask t = instance.task();
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", t.taskId());
    n.put("appId", instance.appId());
    n.put("host", t.host());
    ArrayNode ports = n.putArray("ports");
    t.hostPorts().forEach(ports::add);
    ArrayNode servicePorts = n.putArray("servicePorts");
    if (app != null) {
      for (PortDefinition p : app.portDefinitions()) {
        servicePorts.add(p.port());
      }
    }
    n.put("state", t.lastState().name());
    n.put("stagedAt", Timestamps.format(t.stagedAt()));
    if (t.startedAt() != null) {
      n.put("startedAt", Timestamps.format(t.startedAt()));
    } else {
      n.putNull("startedAt");
    }
    n.put("version", t.appVersion());
    n.put("slaveId", t.agentId());
    // The agent's address is not known to the scheduler yet; Marathon also leaves this empty when Mesos
    // reports no container IP.
    n.putArray("ipAddresses");
    n.putArray("localVolumes");
    return n;
  }
}
