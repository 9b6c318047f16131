package dev.corral.agent.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of the node or of one container at one moment. Immutable.
 *
 * @param tags added to every datapoint: agent_id and hostname, and for a container task_id, framework_id,
 *     app_id, container_id
 * @param container null for the node
 */
public record Sample(Instant timestamp, List<Metric> metrics, Map<String, String> tags, ContainerInfo container) {
  public Sample {
    metrics = List.copyOf(metrics);
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags)); // in order: agent first, then the task
  }
}
