package dev.corral.cli.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads Marathon deployment JSON ({@code GET /v2/deployments} entries and deployment events) into words. */
final class Deployments {
  static final String LIST_PATH = "/v2/deployments";

  private Deployments() {}

  /** The entry of {@code list} (a JSON array) with this id. */
  static Optional<JsonNode> find(JsonNode list, String id) {
    for (JsonNode deployment : list) {
      if (deployment.path("id").asText().equals(id)) {
        return Optional.of(deployment);
      }
    }
    return Optional.empty();
  }

  /** {@code ScaleApplication /foo, ScalePod /bla}; events name the action {@code type} in older versions. */
  static String actions(JsonNode actions) {
    List<String> parts = new ArrayList<>();
    for (JsonNode action : actions) {
      String name = action.path("action").asText(action.path("type").asText(""));
      String target = target(action);
      parts.add((name + " " + target).strip());
    }
    return String.join(", ", parts);
  }

  /** The distinct action names, in order: {@code ScaleApplication,RestartApplication}. */
  static String actionNames(JsonNode actions) {
    Set<String> names = new LinkedHashSet<>();
    actions.forEach(a -> names.add(a.path("action").asText(a.path("type").asText(""))));
    names.remove("");
    return String.join(",", names);
  }

  /** The app or pod an action works on; empty when it names neither. */
  static String target(JsonNode action) {
    if (action.path("app").isTextual()) {
      return action.path("app").asText();
    }
    return action.path("pod").asText("");
  }

  /**
   * {@code step 1/2 ScaleApplication /foo (ready 0/1)} from a {@code /v2/deployments} entry; the readiness
   * part only when the current actions carry readiness check results.
   */
  static String progress(JsonNode deployment) {
    JsonNode current = deployment.path("currentActions");
    StringBuilder text = new StringBuilder("step ")
        .append(deployment.path("currentStep").asText("?")).append('/')
        .append(deployment.path("totalSteps").asText("?"));
    String actions = actions(current);
    if (!actions.isEmpty()) {
      text.append(' ').append(actions);
    }
    int ready = 0;
    int checks = 0;
    for (JsonNode action : current) {
      for (JsonNode result : action.path("readinessCheckResults")) {
        checks++;
        if (result.path("ready").asBoolean(false)) {
          ready++;
        }
      }
    }
    if (checks > 0) {
      text.append(" (ready ").append(ready).append('/').append(checks).append(')');
    }
    return text.toString();
  }
}
