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
 * @param health what the agent reported of the task's health and readiness checks; {@link TaskHealth#NONE}
 *     until it reports any
 * @param ipAddresses the task's own addresses (a container network), as its agent reported them; empty on the
 *     host's network
 * @param containers a pod instance's containers, each its own task of the launched task group (then
 *     {@code taskId} names the group and {@code lastState} sums theirs up); empty for an app's task
 */
public record LaunchedTask(String taskId, String agentId, String host, List<Integer> hostPorts,
    Map<String, String> attributes, String appVersion, Instant stagedAt, Instant startedAt,
    TaskState lastState, String message, TaskHealth health, List<String> ipAddresses,
    List<ContainerTask> containers) {

  public LaunchedTask {
    containers = containers == null ? List.of() : List.copyOf(containers);
    hostPorts = List.copyOf(hostPorts);
    attributes = Map.copyOf(attributes);
    message = message == null ? "" : message;
    health = health == null ? TaskHealth.NONE : health;
    ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
  }

  /** A task on the host's network, not a task group. */
  public LaunchedTask(String taskId, String agentId, String host, List<Integer> hostPorts,
      Map<String, String> attributes, String appVersion, Instant stagedAt, Instant startedAt,
      TaskState lastState, String message, TaskHealth health) {
    this(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, startedAt, lastState, message, health,
        List.of(), List.of());
  }

  /** A task without health reports yet (at launch). */
  public LaunchedTask(String taskId, String agentId, String host, List<Integer> hostPorts,
      Map<String, String> attributes, String appVersion, Instant stagedAt, Instant startedAt,
      TaskState lastState, String message) {
    this(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, startedAt, lastState, message,
        TaskHealth.NONE);
  }

  public LaunchedTask withStatus(TaskState state, String newMessage, Instant startedAtIfRunning) {
    Instant started = startedAt == null && state == TaskState.TASK_RUNNING ? startedAtIfRunning : startedAt;
    return new LaunchedTask(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, started, state,
        newMessage, health, ipAddresses, containers);
  }

  public LaunchedTask withHealth(TaskHealth newHealth) {
    return new LaunchedTask(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, startedAt,
        lastState, message, newHealth, ipAddresses, containers);
  }

  /**
   * With the addresses a status reported; a status without any (a health update, a reconciliation answer)
   * keeps the known ones, since a task's addresses do not change while it lives.
   */
  public LaunchedTask withIpAddresses(List<String> reported) {
    if (reported.isEmpty() || reported.equals(ipAddresses)) {
      return this;
    }
    return new LaunchedTask(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, startedAt,
        lastState, message, health, reported, containers);
  }

  public LaunchedTask withContainers(List<ContainerTask> newContainers) {
    return new LaunchedTask(taskId, agentId, host, hostPorts, attributes, appVersion, stagedAt, startedAt,
        lastState, message, health, ipAddresses, newContainers);
  }

  /** Whether this is a pod instance's task group. */
  public boolean isGroup() {
    return !containers.isEmpty();
  }

  /** The container whose task this is; null when none is. */
  public ContainerTask container(String containerTaskId) {
    for (ContainerTask c : containers) {
      if (c.taskId().equals(containerTaskId)) {
        return c;
      }
    }
    return null;
  }

  /** True when every health check passes, false when one fails, null while unknown or without checks. */
  public Boolean healthy() {
    return health.healthy();
  }

  /** Whether every readiness check passed; null when the agent reported no readiness (no checks). */
  public Boolean ready() {
    return health.ready();
  }

  /** The most consecutive failures of any of the task's health checks; 0 without failures. */
  public int consecutiveFailures() {
    int most = 0;
    for (HealthResult r : health.results()) {
      most = Math.max(most, r.consecutiveFailures());
    }
    return most;
  }

  /** The value a constraint on {@code field} sees: the host name for "hostname", else the attribute. */
  public String fieldValue(String field) {
    return field.equals("hostname") ? host : attributes.get(field);
  }
}
