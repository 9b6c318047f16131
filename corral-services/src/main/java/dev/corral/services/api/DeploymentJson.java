package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.Deployment.AppAction;
import dev.corral.services.engine.Deployment.Step;
import dev.corral.services.engine.InstanceHealth;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import java.util.Comparator;

/**
 * Marathon's running deployments (api-examples/deployments.json), plus what Marathon never said: for each
 * current action, {@code status} in words (how far it got and what it waits for) and {@code startedAt}.
 */
public final class DeploymentJson {
  private DeploymentJson() {}

  public static ArrayNode render(ServicesView view) {
    ArrayNode out = Json.mapper().createArrayNode();
    view.deployments().values().stream()
        .sorted(Comparator.comparing(Deployment::startedAt).thenComparing(Deployment::id))
        .forEach(d -> out.add(render(d, view)));
    return out;
  }

  public static ObjectNode render(Deployment d, ServicesView view) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", d.id());
    n.put("version", d.version());
    ArrayNode apps = n.putArray("affectedApps");
    d.affected(false).forEach(apps::add);
    ArrayNode pods = n.putArray("affectedPods");
    d.affected(true).forEach(pods::add);
    ArrayNode steps = n.putArray("steps");
    for (Step s : d.steps()) {
      ArrayNode actions = steps.addObject().putArray("actions");
      s.actions().forEach(a -> actions.addObject().put("action", a.action().name()).put(a.action().pod() ? "pod" : "app", a.appId()));
    }
    ArrayNode current = n.putArray("currentActions");
    for (AppAction a : d.currentActions()) {
      ObjectNode action = current.addObject().put("action", a.action().name()).put(a.action().pod() ? "pod" : "app", a.appId());
      action.putArray("readinessCheckResults");
      action.put("status", status(a, view));
    }
    n.put("currentStep", Math.min(d.currentStep() + 1, d.steps().size()));
    n.put("totalSteps", d.steps().size());
    n.put("startedAt", Timestamps.format(d.startedAt()));
    return n;
  }

  /** Where an action stands, in one line: the counts it waits on and, if instances wait, why. */
  static String status(AppAction a, ServicesView view) {
    AppDefinition app = view.apps().get(a.appId());
    int newServing = 0;
    int newOther = 0;
    int old = 0;
    int ending = 0;
    for (Instance i : view.instancesOf(a.appId())) {
      if (i.goal() != Goal.RUNNING) {
        ending += i.hasLiveTask() ? 1 : 0;
      } else if (app != null && i.configVersion().equals(app.configVersion())) {
        if (InstanceHealth.serving(i, app)) {
          newServing++;
        } else {
          newOther++;
        }
      } else {
        old += i.hasLiveTask() ? 1 : 0;
      }
    }
    if (app == null) {
      return ending == 0 ? "stopped" : "waiting for " + ending + " task(s) to end";
    }
    StringBuilder s = new StringBuilder();
    s.append(newServing).append(" of ").append(app.instances()).append(" instance(s) of version ")
        .append(app.configVersion()).append(" serving");
    if (newOther > 0) {
      s.append(", ").append(newOther).append(" starting or unhealthy");
    }
    if (old > 0) {
      s.append(", ").append(old).append(" of an older version still running");
    }
    if (ending > 0) {
      s.append(", ").append(ending).append(" killed task(s) still ending");
    }
    String waiting = view.waitingReason(a.appId());
    if (waiting != null) {
      s.append("; waiting: ").append(waiting);
    }
    if (view.failures().get(a.appId()) != null) {
      s.append("; last task failure: ").append(view.failures().get(a.appId()).message());
    }
    return s.toString();
  }
}
