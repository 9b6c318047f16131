package dev.corral.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** What {@code node drain}, {@code node deactivate} and {@code node reactivate} share: one POST, one line. */
final class NodeModeCommand {
  private NodeModeCommand() {}

  static int run(Supplier<ApiClient> api, PrintWriter out, String agentId, String action, String body, boolean json) {
    String path = "/master/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8).replace("+", "%20") + "/"
        + action;
    JsonNode agent = api.get().post(path, body).json();
    if (json) {
      PrettyJson.print(out, agent);
    } else {
      out.printf("Node %s (%s) is %s%n", agent.path("id").asText(), agent.path("hostname").asText(),
          NodeState.of(agent));
    }
    out.flush();
    return 0;
  }
}
