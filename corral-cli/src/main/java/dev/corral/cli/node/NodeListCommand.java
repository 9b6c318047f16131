package dev.corral.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corral node list [--json]}: the master's agents ({@code GET /master/slaves}). */
@Command(name = "list", description = "List the agents: id, hostname, state (active, draining, drained,"
    + " deactivated, unreachable), resources used/total.",
    mixinStandardHelpOptions = true)
public final class NodeListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public NodeListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = api.get().get("/master/slaves").json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    Table table = Table.withHeaders("ID", "HOSTNAME", "STATE", "CPUS", "MEM", "DISK", "HTTP");
    for (JsonNode a : body.path("slaves")) {
      table.row(a.path("id").asText(), a.path("hostname").asText(), NodeState.of(a),
          usage(a, "cpus"), usage(a, "mem"), usage(a, "disk"), a.path("http_address").asText());
    }
    table.print(out);
    return 0;
  }

  private static String usage(JsonNode agent, String name) {
    return number(agent.path("used_resources").path(name).asDouble()) + "/"
        + number(agent.path("resources").path(name).asDouble());
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.2f", d);
  }
}
