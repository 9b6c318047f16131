package dev.corral.services.engine;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.ContainerTask;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.TaskHealth;
import dev.corral.services.pod.PodSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Applies the status of one container of a pod instance: the container's record changes, and the instance
 * moves as the sum of its containers (Marathon's pod instance condition): the lowest of STAGING, STARTING and
 * RUNNING while all live; UNREACHABLE or KILLING as soon as one is; terminal as soon as one container ends, so
 * that a failed container fails the whole instance, which is then replaced as a whole: the containers still
 * live are killed. Pure, like {@link InstanceStateMachine}, which it feeds with the summed-up status.
 */
final class PodStatuses {
  private PodStatuses() {}

  /**
   * @param instance an instance whose task is a task group holding the status's task
   * @param app the pod's current definition, or null when deleted
   */
  static List<Effect> onStatus(Instance instance, TaskStatus status, AppDefinition app, Instant now) {
    LaunchedTask group = instance.task();
    ContainerTask container = group.container(status.getTaskId());
    if (container == null || container.terminal()) {
      return List.of(); // a repeat of a container's end, which already ended the instance
    }
    List<ContainerTask> containers = new ArrayList<>(group.containers().size());
    for (ContainerTask c : group.containers()) {
      containers.add(c != container ? c : c.withStatus(status.getState(), status.getMessage(),
          TaskHealth.from(status, c.health()), status.getIpAddressesList(), now));
    }
    TaskState summed = sum(containers);
    Boolean healthy = healthy(containers, app == null ? null : app.pod());
    TaskStatus.Builder instanceStatus = status.toBuilder().setTaskId(group.taskId()).setState(summed)
        .clearHealthResults().clearReady().setHasHealth(healthy != null).setHealthy(Boolean.TRUE.equals(healthy));
    Instance updated = instance.withTask(group.withContainers(containers));
    List<Effect> effects = new ArrayList<>(InstanceStateMachine.onStatus(updated, instanceStatus.build(), app, now));
    if (effects.isEmpty() && !updated.equals(instance)) {
      effects.add(new Effect.PutInstance(updated));
    }
    if (TaskLifecycle.isTerminal(summed)) {
      for (ContainerTask c : containers) {
        if (!c.terminal()) {
          effects.add(new Effect.Kill(c.taskId(), group.agentId(), OptionalDouble.empty()));
        }
      }
    }
    return effects;
  }

  /** The instance's state as the sum of its containers' (see the class comment). */
  static TaskState sum(List<ContainerTask> containers) {
    TaskState lowest = TaskState.TASK_RUNNING;
    boolean killing = false;
    TaskState away = null;
    for (ContainerTask c : containers) {
      if (TaskLifecycle.isTerminal(c.state())) {
        return c.state(); // one ended: the instance has, whatever the others say
      }
    }
    for (ContainerTask c : containers) {
      TaskState s = c.state();
      if (s == TaskState.TASK_UNREACHABLE || s == TaskState.TASK_UNKNOWN) {
        away = away == null ? s : away;
        continue;
      }
      if (s == TaskState.TASK_KILLING) {
        killing = true;
      } else if (s.getNumber() < lowest.getNumber()) {
        lowest = s;
      }
    }
    if (away != null) {
      return away;
    }
    return killing ? TaskState.TASK_KILLING : lowest;
  }

  /**
   * True when every container with a health check is healthy, false when one is not, null while unknown (or
   * without checks).
   */
  static Boolean healthy(List<ContainerTask> containers, PodSpec pod) {
    if (pod == null) {
      return null;
    }
    boolean all = true;
    boolean any = false;
    for (ContainerTask c : containers) {
      PodSpec.Container spec = pod.container(c.name());
      if (spec == null || spec.healthCheck() == null) {
        continue;
      }
      any = true;
      Boolean h = c.health().healthy();
      if (Boolean.FALSE.equals(h)) {
        return false;
      }
      all &= Boolean.TRUE.equals(h);
    }
    return any && all ? Boolean.TRUE : null;
  }
}
