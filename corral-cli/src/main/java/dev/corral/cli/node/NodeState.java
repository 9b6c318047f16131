package dev.corral.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The one state {@code node list} shows for an agent: what the operator wants of it when that is not
 * ACTIVE (draining, drained, deactivated), else whether it is connected (active) or lost (unreachable).
 */
final class NodeState {
  private NodeState() {}

  static String of(JsonNode agent) {
    String maintenance = agent.path("maintenance").asText("ACTIVE");
    if (!maintenance.isEmpty() && !maintenance.equals("ACTIVE")) {
      return maintenance.toLowerCase(Locale.ROOT);
    }
    String connection = agent.path("state").asText();
    if (agent.path("active").asBoolean() || connection.equals("CONNECTED")) {
      return "active";
    }
    return connection.equals("REGISTERING") ? "registering" : "unreachable";
  }
}
