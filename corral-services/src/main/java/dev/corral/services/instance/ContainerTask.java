package dev.corral.services.instance;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.TaskState;
import java.time.Instant;
import java.util.List;

/**
 * One container of a pod instance's launch: its own task on the agent, with its own status. Observed state,
 * written from status updates. Immutable.
 *
 * @param name the container's name in the pod definition
 * @param hostPorts the host ports of the container's endpoints that have one, in endpoint order
 * @param startedAt when it was first seen RUNNING; null before
 * @param ipAddresses the addresses the agent reported (container networking); empty on the host network
 */
public record ContainerTask(String name, String taskId, List<Integer> hostPorts, TaskState state, String message,
    Instant startedAt, Instant changedAt, TaskHealth health, List<String> ipAddresses) {

  public ContainerTask {
    hostPorts = List.copyOf(hostPorts);
    message = message == null ? "" : message;
    health = health == null ? TaskHealth.NONE : health;
    ipAddresses = List.copyOf(ipAddresses);
  }

  public static ContainerTask staging(String name, String taskId, List<Integer> hostPorts, Instant now) {
    return new ContainerTask(name, taskId, hostPorts, TaskState.TASK_STAGING, "", null, now, TaskHealth.NONE,
        List.of());
  }

  public ContainerTask withStatus(TaskState next, String newMessage, TaskHealth newHealth, List<String> ips,
      Instant now) {
    Instant started = startedAt == null && next == TaskState.TASK_RUNNING ? now : startedAt;
    return new ContainerTask(name, taskId, hostPorts, next, newMessage, started, next == state ? changedAt : now,
        newHealth, ips.isEmpty() ? ipAddresses : ips);
  }

  public boolean terminal() {
    return TaskLifecycle.isTerminal(state);
  }
}
