package dev.corral.services.instance;

import dev.corral.api.v1.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The task an instance currently has on an agent.
 *
 * @param attributes the agent's attributes when the task was placed; constraints are evaluated against them
 * @param appVersion the app version the task was launched with (Marathon's task {@code version})
 * @param startedAt when it was first seen RUNNING; null before
 * @param lastState the last task state reported (or TASK_STAGING as set at launch)
 * @param message the last status message, "" when none
 */
public record LaunchedTask(String taskId, String agentId, String host, List<Integer> hostPorts,
    Map<String, String> attributes, String appVersion, Instant stagedAt, Instant startedAt,
    TaskState lastState, String message) {

  public LaunchedTask {
    hostPorts = List.copyOf(hostPorts);
    attributes = Map.copyOf(attributes);
    message = message == null ? "" : message;
  }

  public LaunchedTask withStatus(TaskState state, String newMessage, Instant startedAtIfRunning) {
    Instant started = startedAt == null && state == TaskState.TASK_RUNNING ? startedAtIfRunning : startedAt;
    return new LaunchedTask(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, started, state,
        newMessage);
  }

  // Placeholders until health reaches the task record.
  public Boolean healthy() {
    return null;
  }

  public Boolean ready() {
    return null;
  }

  /** The value a constraint on {@code field} sees: the host name for "hostname", else the attribute. */
  public String fieldValue(String field) {
    return field.equals("hostname") ? host : attributes.get(field);
  }
}
