package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.instance.HealthResult;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.LaunchedTask;
import java.time.Instant;
import java.util.List;

/**
 * Marathon 1.5's task JSON (api-examples/tasks.json, app_tasks.json), with {@code healthCheckResults} for
 * tasks of apps that have health checks.
 */
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
    n.set("ipAddresses", ipAddresses(t.ipAddresses()));
    // Marathon's form: where each persistent volume of a resident instance is mounted, and its id on the agent
    ArrayNode volumes = n.putArray("localVolumes");
    if (instance.reservation() != null) {
      for (dev.corral.services.instance.Reservation.Volume v : instance.reservation().volumes()) {
        volumes.addObject().put("runSpecId", instance.appId()).put("containerPath", v.containerPath())
            .put("persistenceId", v.persistenceId());
      }
    }
    if ((app != null && !app.healthChecks().isEmpty()) || !t.health().results().isEmpty()) {
      ArrayNode results = n.putArray("healthCheckResults");
      for (HealthResult r : t.health().results()) {
        results.add(healthCheckResult(r, instance.id()));
      }
    }
    return n;
  }

  /**
   * Marathon's {@code ipAddresses}: the task's container addresses as the agent reported them, each
   * {@code {"ipAddress": "172.31.0.5", "protocol": "IPv4"}}; empty on the host's network (as Marathon when
   * Mesos reports no container IP).
   */
  public static com.fasterxml.jackson.databind.node.ArrayNode ipAddresses(List<String> ips) {
    com.fasterxml.jackson.databind.node.ArrayNode out = Json.mapper().createArrayNode();
    for (String ip : ips) {
      out.addObject().put("ipAddress", ip).put("protocol", ip.contains(":") ? "IPv6" : "IPv4");
    }
    return out;
  }

  /** Marathon's Health: one per health check that has a result. */
  static ObjectNode healthCheckResult(HealthResult r, String instanceId) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("alive", r.alive());
    n.put("consecutiveFailures", r.consecutiveFailures());
    time(n, "firstSuccess", r.firstSuccess());
    time(n, "lastFailure", r.lastFailure());
    time(n, "lastSuccess", r.lastSuccess());
    if (r.lastFailureCause().isEmpty()) {
      n.putNull("lastFailureCause");
    } else {
      n.put("lastFailureCause", r.lastFailureCause());
    }
    n.put("instanceId", instanceId);
    return n;
  }

  private static void time(ObjectNode n, String field, Instant t) {
    if (t == null) {
      n.putNull(field);
    } else {
      n.put(field, Timestamps.format(t));
    }
  }
}
