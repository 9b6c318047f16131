package dev.corral.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Datapoints;
import dev.corral.cli.output.HintedException;
import dev.corral.cli.output.PrettyJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral node metrics NODE [--json]}: a node's cpu, load, memory, disk, processes and uptime,
 * through the gateway's {@code /system/v1/agent/{id}/metrics/v0/node}. NODE is an agent id or a hostname.
 */
@Command(name = "metrics", description = "Print a node's cpu, load, memory, disk and process metrics.",
    mixinStandardHelpOptions = true)
public final class NodeMetricsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NODE", description = "An agent id or hostname (see corral node list).")
  String node;

  @Option(names = "--json", description = "Print the API's JSON (dcos-metrics shape) instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public NodeMetricsCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    String id = agentId(client, node);
    JsonNode body = client.get("/system/v1/agent/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
        .replace("+", "%20") + "/metrics/v0/node").json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
    } else {
      Datapoints.table(body).print(out);
    }
    out.flush();
    return 0;
  }

  /** The id of the agent with this id, or else with this hostname (which must name one agent). */
  static String agentId(ApiClient client, String word) {
    List<String> byHost = new ArrayList<>();
    for (JsonNode a : client.get("/master/slaves").json().path("slaves")) {
      if (a.path("id").asText().equals(word)) {
        return word;
      }
      if (a.path("hostname").asText().equals(word)) {
        byHost.add(a.path("id").asText());
      }
    }
    if (byHost.size() == 1) {
      return byHost.get(0);
    }
    if (byHost.isEmpty()) {
      throw new HintedException("no agent has the id or hostname '" + word + "'", List.of("see corral node list"));
    }
    throw new HintedException("several agents have the hostname '" + word + "': " + String.join(", ", byHost),
        List.of("give an agent id (corral node list)"));
  }
}
