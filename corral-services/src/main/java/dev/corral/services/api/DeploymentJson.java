package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.engine.Deployment;
import dev.corral.services.engine.ServicesView;
import java.util.Comparator;

/** Marathon's running deployments (api-examples/deployments.json): Corral's are one step, one action. */
public final class DeploymentJson {
  private DeploymentJson() {}

  public static ArrayNode render(ServicesView view) {
    ArrayNode out = Json.mapper().createArrayNode();
    view.deployments().values().stream()
        .sorted(Comparator.comparing(Deployment::startedAt).thenComparing(Deployment::id))
        .forEach(d -> {
          ObjectNode n = out.addObject();
          n.put("id", d.id());
          n.put("version", d.version());
          n.putArray("affectedApps").add(d.appId());
          n.putArray("affectedPods");
          ObjectNode action = Json.mapper().createObjectNode().put("action", d.action()).put("app", d.appId());
          n.putArray("steps").addObject().putArray("actions").add(action.deepCopy());
          action.putArray("readinessCheckResults");
          n.putArray("currentActions").add(action);
          n.put("currentStep", 1);
          n.put("totalSteps", 1);
        });
    return out;
  }
}
