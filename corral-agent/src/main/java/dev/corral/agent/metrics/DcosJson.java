package dev.corral.agent.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.util.Map;

/**
 * A {@link Sample} in the dcos-metrics API v0 shape:
 * <pre>{@code
 * {"datapoints": [{"name": "cpus.user.time", "value": 1.5, "unit": "seconds",
 *                  "timestamp": "2025-01-01T00:00:00Z", "tags": {"agent_id": …, "task_id": …}}],
 *  "dimensions": {"agent_id": …, "hostname": …, "container_id": …, "executor_id": …, "framework_id": …,
 *                 "task_id": …, "task_name": …, "app_id": …, "labels": {…}}}
 * }</pre>
 * Stateless.
 */
final class DcosJson {
  private DcosJson() {}

  static ObjectNode render(Sample sample) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode points = root.putArray("datapoints");
    String timestamp = sample.timestamp().toString();
    for (Metric m : sample.metrics()) {
      ObjectNode p = points.addObject();
      p.put("name", m.name());
      p.put("value", m.value());
      p.put("unit", m.unit());
      p.put("timestamp", timestamp);
      ObjectNode tags = p.putObject("tags");
      sample.tags().forEach(tags::put);
      m.tags().forEach(tags::put);
    }
    ObjectNode dims = root.putObject("dimensions");
    dims.put("agent_id", sample.tags().get("agent_id"));
    dims.put("hostname", sample.tags().get("hostname"));
    ContainerInfo c = sample.container();
    if (c != null) {
      dims.put("container_id", c.containerId());
      dims.put("executor_id", c.executorId());
      dims.put("framework_id", c.frameworkId());
      dims.put("task_id", c.taskId());
      dims.put("task_name", c.taskName());
      dims.put("app_id", c.appId());
      ObjectNode labels = dims.putObject("labels");
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(c.labels()).entrySet()) {
        labels.put(e.getKey(), e.getValue());
      }
    }
    return root;
  }
}
