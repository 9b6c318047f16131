package dev.corral.services.engine;

import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.HealthCheck;
import dev.corral.services.health.UnhealthyKillLimiter;
import dev.corral.services.instance.ContainerTask;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.HealthResult;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.pod.PodSpec;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's half of health checks (agents run them and report): a RUNNING task of the app's current
 * config whose check has failed {@code maxConsecutiveFailures} times in a row (when that is above 0) is
 * killed and replaced, as a kill without scaling would do: its instance is decommissioned, the kill sent, and
 * the planner then creates a new instance (a resident instance stays, and its task relaunches on its volumes). The
 * app's {@code lastTaskFailure} says the task was unhealthy.
 * Kills are rate-limited by {@link UnhealthyKillLimiter}; a task passed over is considered again on its next
 * report. Returns effects; loop-confined.
 */
final class UnhealthyTasks {
  private static final Logger log = LoggerFactory.getLogger(UnhealthyTasks.class);

  private final UnhealthyKillLimiter limiter;

  UnhealthyTasks(UnhealthyKillLimiter limiter) {
    this.limiter = limiter;
  }

  /**
   * What to do about the instance after a status of its task.
   *
   * @param instance the instance as it is now (after the status), or null when it is gone
   * @param app the app's current definition, or null when the app was deleted
   */
  List<Effect> afterStatus(ServiceModel model, Instance instance, AppDefinition app, Instant now) {
    if (instance == null || app == null || instance.goal() != Goal.RUNNING
        || instance.state() != InstanceState.RUNNING || !instance.configVersion().equals(app.configVersion())) {
      return List.of();
    }
    LaunchedTask task = instance.task();
    if (app.isPod()) {
      // a pod instance goes as a whole when one of its containers fails its check too often
      for (ContainerTask c : task.containers()) {
        PodSpec.Container spec = app.pod().container(c.name());
        HealthResult r = c.health().result(0);
        if (spec != null && spec.healthCheck() != null && spec.healthCheck().maxConsecutiveFailures() > 0
            && r != null && !r.alive() && r.consecutiveFailures() >= spec.healthCheck().maxConsecutiveFailures()) {
          return kill(model, instance, app, "container " + c.name() + "'s health check (" + spec.healthCheck().kind()
              + ")", r, now);
        }
      }
      return List.of();
    }
    List<HealthCheck> checks = app.healthChecks();
    for (int i = 0; i < checks.size(); i++) {
      int max = checks.get(i).maxConsecutiveFailures();
      HealthResult r = task.health().result(i);
      if (max > 0 && r != null && !r.alive() && r.consecutiveFailures() >= max) {
        return kill(model, instance, app, "health check " + r.index() + " (" + checks.get(i).protocol() + ")", r, now);
      }
    }
    return List.of();
  }

  private List<Effect> kill(ServiceModel model, Instance instance, AppDefinition app, String check,
      HealthResult r, Instant now) {
    LaunchedTask task = instance.task();
    boolean allowed = limiter.tryKill(app.id(), task.taskId(), app.instances(), now, taskId -> {
      Instance i = model.instanceByTask(taskId);
      return i != null && i.hasLiveTask();
    });
    if (!allowed) {
      log.info("task {} of {} is unhealthy ({} failures) but not killed now: too many unhealthy kills under way",
          task.taskId(), app.id(), r.consecutiveFailures());
      return List.of();
    }
    String message = "Task was unhealthy: " + check + " failed "
        + r.consecutiveFailures() + " consecutive times"
        + (r.lastFailureCause().isEmpty() ? "" : " (last: " + r.lastFailureCause() + ")") + "; killed and replaced";
    log.info("killing task {} of {}: {}", task.taskId(), app.id(), message);
    OptionalDouble grace = app.taskKillGracePeriodSeconds().isPresent()
        ? OptionalDouble.of(app.taskKillGracePeriodSeconds().getAsInt()) : OptionalDouble.empty();
    TaskFailure failure = new TaskFailure(app.id(), task.host(), message, "TASK_KILLED", task.taskId(), now,
        task.appVersion(), task.agentId());
    if (instance.isResident()) {
      // its data is on this agent: the instance stays and relaunches there on its volumes
      return List.of(new Effect.RecordFailure(failure), new Effect.Kill(task.taskId(), task.agentId(), grace));
    }
    return List.of(new Effect.RecordFailure(failure),
        new Effect.PutInstance(instance.withGoal(Goal.DECOMMISSIONED)),
        new Effect.Kill(task.taskId(), task.agentId(), grace));
  }
}
