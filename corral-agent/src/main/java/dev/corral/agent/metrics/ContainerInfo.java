package dev.corral.agent.metrics;

import java.util.Map;

/**
 * What the metrics say about a container besides its counters (dcos-metrics' dimensions). The container id
 * is the task id: the process containerizer names each task's cgroups after it. Immutable.
 *
 * @param appId the Marathon app id ({@code MARATHON_APP_ID}), else the task's name
 * @param executorId "" for command tasks, which have no executor of their own
 */
public record ContainerInfo(String taskId, String frameworkId, String executorId, String taskName, String appId,
    Map<String, String> labels) {
  public ContainerInfo {
    labels = Map.copyOf(labels);
  }

  public String containerId() {
    return taskId;
  }
}
