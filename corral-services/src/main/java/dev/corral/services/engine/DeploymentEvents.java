package dev.corral.services.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.engine.Deployment.AppAction;
import dev.corral.services.engine.Deployment.Step;
import java.util.function.BiConsumer;

/**
 * Marathon's deployment events (deployment_info, deployment_step_success, deployment_success,
 * deployment_failed) built from a {@link Deployment} and handed to a publisher. The plan carries id, version,
 * steps and affected apps; Marathon's full {@code original}/{@code target} groups are left out (they repeat
 * every app definition in every event; {@code GET /v2/groups?version=} has them).
 */
public final class DeploymentEvents {
  private volatile BiConsumer<String, ObjectNode> publisher = (type, payload) -> { };

  /** Where events go (the event bus); set once at start-up. */
  public void publishTo(BiConsumer<String, ObjectNode> target) {
    this.publisher = target;
  }

  void deploymentInfo(Deployment d) {
    ObjectNode e = Json.mapper().createObjectNode();
    e.set("plan", plan(d));
    e.set("currentStep", step(d));
    publisher.accept("deployment_info", e);
  }

  void deploymentStepSuccess(Deployment d) {
    ObjectNode e = Json.mapper().createObjectNode();
    e.set("plan", plan(d));
    e.set("currentStep", step(d));
    publisher.accept("deployment_step_success", e);
  }

  void deploymentSuccess(Deployment d) {
    ObjectNode e = Json.mapper().createObjectNode().put("id", d.id());
    e.set("plan", plan(d));
    publisher.accept("deployment_success", e);
  }

  void deploymentFailed(Deployment d, String reason) {
    ObjectNode e = Json.mapper().createObjectNode().put("id", d.id()).put("reason", reason);
    e.set("plan", plan(d));
    publisher.accept("deployment_failed", e);
  }

  static ObjectNode plan(Deployment d) {
    ObjectNode plan = Json.mapper().createObjectNode().put("id", d.id()).put("version", d.version());
    ArrayNode steps = plan.putArray("steps");
    for (Step s : d.steps()) {
      ArrayNode actions = steps.addObject().putArray("actions");
      s.actions().forEach(a -> actions.add(action(a)));
    }
    ArrayNode apps = plan.putArray("affectedApps");
    d.affectedApps().forEach(apps::add);
    return plan;
  }

  private static ObjectNode step(Deployment d) {
    ObjectNode step = Json.mapper().createObjectNode();
    ArrayNode actions = step.putArray("actions");
    d.currentActions().forEach(a -> actions.add(action(a)));
    return step;
  }

  static ObjectNode action(AppAction a) {
    return Json.mapper().createObjectNode().put("action", a.action().name()).put("app", a.appId());
  }
}
