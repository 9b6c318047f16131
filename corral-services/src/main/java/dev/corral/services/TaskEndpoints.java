package dev.corral.services;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.corral.api.v1.TaskState;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.LaunchedTask;
import java.util.List;
import java.util.Map;

/**
 * Marathon's plain-text task list, the simplest service discovery there is (what haproxy-marathon-bridge read,
 * and what catalog packages use to find each other): one line per port index of the app, tab-separated —
 * {@code <app id with '/' as '_'>_<servicePort>}, the service port, then {@code host:port} of every running task.
 */
final class TaskEndpoints {
  private TaskEndpoints() {}

  static MarathonApi.Reply reply(AppDefinition app, List<Instance> instances) {
    return textReply(app == null ? "" : text(app, instances));
  }

  static MarathonApi.Reply textReply(String text) {
    return new MarathonApi.Reply(200, TextNode.valueOf(text), Map.of());
  }

  static String text(AppDefinition app, List<Instance> instances) {
    String name = app.id().substring(1).replace('/', '_');
    List<PortDefinition> ports = app.portDefinitions();
    StringBuilder out = new StringBuilder();
    for (int index = 0; index < ports.size(); index++) {
      int servicePort = ports.get(index).port();
      out.append(name).append('_').append(servicePort).append('\t').append(servicePort);
      for (Instance i : instances) {
        LaunchedTask t = i.task();
        if (i.hasLiveTask() && t.lastState() == TaskState.TASK_RUNNING && index < t.hostPorts().size()) {
          out.append('\t').append(t.host()).append(':').append(t.hostPorts().get(index));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }
}
