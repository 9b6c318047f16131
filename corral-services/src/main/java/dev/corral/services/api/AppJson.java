package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppDefaults;
import dev.corral.services.app.Timestamps;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.TaskFailure;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Marathon's app JSON: the stored definition, unchanged, with Marathon 1.5's defaults filled in for absent
 * fields, plus the embedded parts a request asks for. Corral adds one field, {@code waiting}, present only
 * while some instance waits, saying why in plain words.
 */
public final class AppJson {
  /** Marathon's {@code embed} values (apps.tasks / app.tasks, …). */
  public enum Embed { TASKS, COUNTS, DEPLOYMENTS, LAST_TASK_FAILURE }

  /** What GET /v2/apps embeds without an explicit embed parameter (Marathon 1.5). */
  public static final Set<Embed> LIST_DEFAULT = EnumSet.of(Embed.COUNTS, Embed.DEPLOYMENTS);
  /** What GET /v2/apps/{id} embeds (Marathon 1.5). */
  public static final Set<Embed> SINGLE = EnumSet.allOf(Embed.class);

  private AppJson() {}

  /** The definition with Marathon's defaults filled in ({@link AppDefaults}); no runtime information. */
  public static ObjectNode withDefaults(AppDefinition app) {
    return AppDefaults.fill(app.toJson());
  }

  /** The app as GET shows it, with the requested embeds and the {@code waiting} field when it applies. */
  public static ObjectNode render(AppDefinition app, ServicesView view, Set<Embed> embeds) {
    ObjectNode n = withDefaults(app);
    List<Instance> instances = view.instancesOf(app.id());
    if (embeds.contains(Embed.COUNTS)) {
      int staged = 0;
      int running = 0;
      int healthy = 0;
      int unhealthy = 0;
      for (Instance i : instances) {
        if (i.state() == InstanceState.STAGING || i.state() == InstanceState.STARTING) {
          staged++;
        } else if (i.state() == InstanceState.RUNNING) {
          running++;
          // Tasks whose health is not known yet (or that have no checks) count as neither, as in Marathon.
          Boolean h = i.task().healthy();
          if (Boolean.TRUE.equals(h)) {
            healthy++;
          } else if (Boolean.FALSE.equals(h)) {
            unhealthy++;
          }
        }
      }
      n.put("tasksStaged", staged);
      n.put("tasksRunning", running);
      n.put("tasksHealthy", healthy);
      n.put("tasksUnhealthy", unhealthy);
    }
    if (embeds.contains(Embed.DEPLOYMENTS)) {
      ArrayNode deployments = n.putArray("deployments");
      Deployment d = view.deploymentOf(app.id());
      if (d != null) {
        deployments.addObject().put("id", d.id());
      }
    }
    if (embeds.contains(Embed.TASKS)) {
      ArrayNode tasks = n.putArray("tasks");
      for (Instance i : instances) {
        if (i.hasLiveTask()) {
          tasks.add(TaskJson.render(i, app));
        }
      }
    }
    if (embeds.contains(Embed.LAST_TASK_FAILURE)) {
      TaskFailure f = view.failures().get(app.id());
      if (f != null) {
        n.set("lastTaskFailure", failure(f));
      }
    }
    String reason = view.waitingReason(app.id());
    if (reason != null) {
      n.putObject("waiting").put("reason", reason).put("instances", view.waiting(app.id()).size());
    }
    return n;
  }

  public static ObjectNode failure(TaskFailure f) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("appId", f.appId());
    n.put("host", f.host());
    n.put("message", f.message());
    n.put("state", f.state());
    n.put("taskId", f.taskId());
    n.put("timestamp", Timestamps.format(f.timestamp()));
    n.put("version", f.version());
    n.put("slaveId", f.slaveId());
    return n;
  }

}
