package dev.corral.services.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.engine.Deployment.AppAction;
import dev.corral.services.engine.Deployment.Step;
import dev.corral.services.events.MarathonEvents;

/**
 * Marathon's deployment events (deployment_info, deployment_step_success, deployment_success,
 * deployment_failed) built from a {@link Deployment}, published with the commit that made them true. The plan carries id, version,
 * steps and affected apps; Marathon's full {@code original}/{@code target} groups are left out (they repeat
 * every app definition in every event; {@code GET /v2/groups?version=} has them).
 */
final class DeploymentEvents {
  private DeploymentEvents() {}

  static ObjectNode info(Deployment d) {
    return MarathonEvents.deploymentInfo(plan(d), step(d));
  }

  static ObjectNode stepSuccess(Deployment d) {
    return MarathonEvents.deploymentStepSuccess(plan(d), step(d));
  }

  static ObjectNode success(Deployment d) {
    return MarathonEvents.deploymentSuccess(d.id(), plan(d));
  }

  static ObjectNode failed(Deployment d, String reason) {
    return MarathonEvents.deploymentFailed(d.id(), plan(d)).put("reason", reason);
  }

  static ObjectNode plan(Deployment d) {
    ObjectNode plan = Json.mapper().createObjectNode().put("id", d.id()).put("version", d.version());
    ArrayNode steps = plan.putArray("steps");
    for (Step s : d.steps()) {
      ArrayNode actions = steps.addObject().putArray("actions");
      s.actions().forEach(a -> actions.add(action(a)));
    }
    ArrayNode apps = plan.putArray("affectedApps");
    d.affected(false).forEach(apps::add);
    ArrayNode pods = plan.putArray("affectedPods");
    d.affected(true).forEach(pods::add);
    return plan;
  }

  private static ObjectNode step(Deployment d) {
    ObjectNode step = Json.mapper().createObjectNode();
    ArrayNode actions = step.putArray("actions");
    d.currentActions().forEach(a -> actions.add(action(a)));
    return step;
  }

  static ObjectNode action(AppAction a) {
    return Json.mapper().createObjectNode().put("action", a.action().name()).put(a.action().pod() ? "pod" : "app", a.appId());
  }
}
