package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.TaskState;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.InstanceHealth;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.ContainerTask;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.pod.PodApps;
import dev.corral.services.pod.PodSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods in Marathon's shapes: the definition ({@code PodDefinition}, with its defaults) and its status
 * ({@code PodStatus}: the pod's state, each instance with its agent, resources, networks and containers, each
 * container with its task's state, endpoints with their allocated host ports, and health).
 */
public final class PodJson {
  private PodJson() {}

  /** The pod's definition as Marathon shows it. */
  public static ObjectNode pod(AppDefinition app) {
    return PodApps.toPod(app.toJson());
  }

  /**
   * The instances with every pod instance's containers spelled out as tasks of their own (id, ports, state and
   * health of each container), for the task list; apps' instances are passed through.
   */
  public static List<Instance> containerTasks(List<Instance> instances) {
    List<Instance> out = new ArrayList<>(instances.size());
    for (Instance i : instances) {
      LaunchedTask t = i.task();
      if (t == null || !t.isGroup()) {
        out.add(i);
        continue;
      }
      for (ContainerTask c : t.containers()) {
        LaunchedTask own = new LaunchedTask(c.taskId(), t.agentId(), t.host(), c.hostPorts(), t.attributes(),
            t.appVersion(), t.stagedAt(), c.startedAt(), c.state(), c.message(), c.health(),
            c.ipAddresses(), List.of());
        InstanceState state = TaskLifecycle.isTerminal(c.state()) ? i.state() : InstanceState.of(c.state());
        out.add(new Instance(i.id(), i.appId(), i.configVersion(), i.goal(),
            state == InstanceState.SCHEDULED ? i.state() : state, i.createdAt(), own, i.unreachableSince()));
      }
    }
    return out;
  }

  /** Marathon's PodStatus of one pod. */
  public static ObjectNode status(AppDefinition app, ServicesView view) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", app.id());
    n.set("spec", pod(app));
    List<Instance> instances = view.instancesOf(app.id());
    int stable = 0;
    Instant since = Timestamps.parse(app.version());
    ArrayNode out = n.putArray("instances");
    for (Instance i : instances) {
      if (i.goal() != Goal.RUNNING && !i.hasLiveTask()) {
        continue;
      }
      out.add(instance(i, app));
      if (i.goal() == Goal.RUNNING && i.configVersion().equals(app.configVersion()) && InstanceHealth.serving(i, app)) {
        stable++;
      }
    }
    Deployment d = view.deploymentOf(app.id());
    String status = d != null ? "DEPLOYING" : stable >= app.instances() ? "STABLE" : "DEGRADED";
    n.put("status", status);
    n.put("statusSince", Timestamps.format(since));
    String waiting = view.waitingReason(app.id());
    TaskFailure failure = view.failures().get(app.id());
    if (waiting != null) {
      // e.g. an image the agents cannot run: the backoff says "waiting", the failure says why
      n.put("message", failure == null ? waiting : waiting + "; last failure: " + failure.message());
    }
    ArrayNode history = n.putArray("terminationHistory");
    if (failure != null) {
      // the last instance end that was not asked for (Marathon keeps a longer history)
      ObjectNode end = history.addObject();
      end.put("instanceID", failure.taskId());
      end.put("terminatedAt", Timestamps.format(failure.timestamp()));
      end.put("message", failure.message());
      end.putArray("containers").addObject().put("containerId", failure.taskId())
          .put("lastKnownState", failure.state());
    }
    n.put("lastUpdated", Timestamps.format(view.now()));
    n.put("lastChanged", Timestamps.format(since));
    return n;
  }

  private static ObjectNode instance(Instance i, AppDefinition app) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", i.id());
    LaunchedTask t = i.task();
    n.put("status", instanceStatus(i, app));
    Instant changed = t == null ? i.createdAt() : t.startedAt() != null ? t.startedAt() : t.stagedAt();
    n.put("statusSince", Timestamps.format(changed));
    n.put("specReference", "/v2/pods" + app.id() + "::versions/" + (t == null ? app.version() : t.appVersion()));
    if (t != null) {
      n.put("agentHostname", t.host());
      n.put("agentId", t.agentId());
    }
    PodSpec spec = app.pod();
    PodSpec.Resources total = spec.total();
    n.putObject("resources").put("cpus", total.cpus()).put("mem", total.mem()).put("disk", total.disk())
        .put("gpus", total.gpus());
    ArrayNode networks = n.putArray("networks");
    ArrayNode containers = n.putArray("containers");
    List<String> addresses = new ArrayList<>();
    if (t != null) {
      for (ContainerTask c : t.containers()) {
        containers.add(container(c, spec, t));
        c.ipAddresses().stream().filter(ip -> !addresses.contains(ip)).forEach(addresses::add);
      }
    }
    if (spec.network() == PodSpec.Network.CONTAINER) {
      // the instance's one namespace; on the host network Marathon lists none
      ObjectNode net = networks.addObject().put("name", spec.networkName());
      ArrayNode addr = net.putArray("addresses");
      addresses.forEach(addr::add);
    }
    n.putArray("localVolumes");
    n.put("lastUpdated", Timestamps.format(changed));
    n.put("lastChanged", Timestamps.format(changed));
    return n;
  }

  /** PENDING (no task yet), STAGING, STABLE (running and, with checks, healthy), DEGRADED, TERMINAL. */
  private static String instanceStatus(Instance i, AppDefinition app) {
    if (i.task() == null) {
      return "PENDING";
    }
    if (i.goal() != Goal.RUNNING || i.state().isTerminal()) {
      return "TERMINAL";
    }
    switch (i.state()) {
      case STAGING:
      case STARTING:
        return "STAGING";
      case RUNNING:
        return InstanceHealth.serving(i, app) ? "STABLE" : "DEGRADED";
      default:
        return "DEGRADED";
    }
  }

  private static ObjectNode container(ContainerTask c, PodSpec spec, LaunchedTask t) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("name", c.name());
    n.put("status", c.state().name());
    n.put("statusSince", Timestamps.format(c.changedAt() != null ? c.changedAt() : t.stagedAt()));
    n.put("containerId", c.taskId());
    if (!c.message().isEmpty()) {
      n.put("message", c.message());
    }
    PodSpec.Container def = spec.container(c.name());
    ArrayNode endpoints = n.putArray("endpoints");
    if (def != null) {
      int next = 0;
      for (PodSpec.Endpoint e : def.endpoints()) {
        ObjectNode en = endpoints.addObject().put("name", e.name());
        boolean hostPort = spec.network() == PodSpec.Network.HOST || e.hostPort() != null;
        if (hostPort && next < c.hostPorts().size()) {
          en.put("allocatedHostPort", c.hostPorts().get(next++));
        }
        if (def.healthCheck() != null && e.name().equals(def.healthCheck().endpoint()) && c.health().healthy() != null) {
          en.put("healthy", c.health().healthy());
        }
      }
      n.putObject("resources").put("cpus", def.resources().cpus()).put("mem", def.resources().mem())
          .put("disk", def.resources().disk()).put("gpus", def.resources().gpus());
    }
    if (def != null && def.healthCheck() != null && c.state() == TaskState.TASK_RUNNING) {
      ArrayNode conditions = n.putArray("conditions");
      Boolean healthy = c.health().healthy();
      conditions.addObject().put("name", "healthy").put("value", healthy == null ? "unknown" : healthy.toString())
          .put("reason", healthy == null ? "no result yet" : healthy ? "health check passed" : "health check failed")
          .put("lastChanged", Timestamps.format(c.changedAt() != null ? c.changedAt() : t.stagedAt()))
          .put("lastUpdated", Timestamps.format(c.changedAt() != null ? c.changedAt() : t.stagedAt()));
    }
    n.put("lastUpdated", Timestamps.format(c.changedAt() != null ? c.changedAt() : t.stagedAt()));
    n.put("lastChanged", Timestamps.format(c.changedAt() != null ? c.changedAt() : t.stagedAt()));
    return n;
  }
}
