package dev.corral.dns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.v1.TaskState;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.LaunchedTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the apps' ports, VIP labels and tasks out of a scheduler snapshot. Ports come from
 * {@code portDefinitions} (host networking) or else from {@code container.portMappings}; either way the
 * n-th port is the n-th host port of each task.
 */
final class ViewReader {
  private ViewReader() {}

  static List<DiscoveredApp> read(ServicesView view, HostAddresses hosts) {
    List<DiscoveredApp> out = new ArrayList<>();
    for (AppDefinition app : view.apps().values()) {
      List<DiscoveredApp.Task> tasks = new ArrayList<>();
      for (Instance i : view.instancesOf(app.id())) {
        LaunchedTask t = i.task();
        if (t == null) {
          continue;
        }
        tasks.add(new DiscoveredApp.Task(t.taskId(), t.host(), hosts.ipv4(t.host()), hosts.ipv6(t.host()), t.hostPorts(),
            t.lastState() == TaskState.TASK_RUNNING, t.healthy(), t.ipAddresses()));
      }
      out.add(new DiscoveredApp(app.id(), ports(app), !app.healthChecks().isEmpty(), tasks));
    }
    return out;
  }

  static List<DiscoveredApp.Port> ports(AppDefinition app) {
    List<DiscoveredApp.Port> out = new ArrayList<>();
    if (app.isPod()) {
      // a pod's endpoints with a host port, in the order of its instances' host ports
      int i = 0;
      for (dev.corral.services.pod.PodSpec.Container c : app.pod().containers()) {
        for (dev.corral.services.pod.PodSpec.Endpoint e : c.endpoints()) {
          if (app.pod().network() == dev.corral.services.pod.PodSpec.Network.HOST || e.hostPort() != null) {
            out.add(new DiscoveredApp.Port(i++, e.name(), e.protocols().contains("udp") ? "udp" : "tcp",
                Vip.fromLabels(e.labels())));
          }
        }
      }
      return out;
    }
    List<PortDefinition> defs = app.portDefinitions();
    if (!defs.isEmpty()) {
      for (int i = 0; i < defs.size(); i++) {
        PortDefinition p = defs.get(i);
        out.add(new DiscoveredApp.Port(i, p.name(), protocol(p.protocol()), Vip.fromLabels(p.labels())));
      }
      return out;
    }
    JsonNode mappings = app.toJson().path("container").path("portMappings");
    for (int i = 0; i < mappings.size(); i++) {
      JsonNode m = mappings.get(i);
      String name = m.hasNonNull("name") ? m.get("name").asText() : null;
      out.add(new DiscoveredApp.Port(i, name, protocol(m.path("protocol").asText("tcp")),
          Vip.fromLabels(labels(m.path("labels")))));
    }
    return out;
  }

  private static String protocol(String p) {
    return p == null || p.isBlank() ? "tcp" : p;
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
