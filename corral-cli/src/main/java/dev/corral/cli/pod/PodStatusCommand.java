package dev.corral.cli.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.PodId;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral pod status ID}: the live status of a pod and of each of its instances and containers
 * ({@code GET /v2/pods/{id}::status}).
 */
@Command(name = "status", description = "Show the live status of a pod, its instances and their containers.",
    mixinStandardHelpOptions = true)
public final class PodStatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The pod id, e.g. /group/pod.")
  PodId id;

  @Option(names = "--json", description = "Print the API's JSON instead of a summary.")
  boolean json;

  private final Supplier<ApiClient> api;

  public PodStatusCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode status = api.get().get(id.statusPath()).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, status);
      return 0;
    }
    Table fields = Table.withColumns(2)
        .row("ID:", Cells.text(status.path("id")))
        .row("STATUS:", Cells.text(status.path("status")) + since(status))
        .row("INSTANCES:", status.path("instances").size() + " of " + PodTable.desired(status.path("spec")));
    String message = Cells.oneLine(status.path("message").asText(""));
    if (!message.isEmpty()) {
      fields.row("MESSAGE:", message);
    }
    fields.print(out);
    List<JsonNode> instances = new ArrayList<>();
    status.path("instances").forEach(instances::add);
    out.println();
    if (instances.isEmpty()) {
      out.println("No instances.");
      out.flush();
      return 0;
    }
    instances.sort(Comparator.comparing(i -> i.path("id").asText()));
    out.println("Instances:");
    Table table = Table.withHeaders("INSTANCE", "STATUS", "AGENT", "CONTAINERS", "SINCE");
    for (JsonNode instance : instances) {
      // Marathon 1.5 names the agent's host "agentHostname"; the API description says "agent".
      JsonNode agent = instance.has("agentHostname") ? instance.path("agentHostname") : instance.path("agent");
      table.row(Cells.text(instance.path("id")), Cells.text(instance.path("status")), Cells.text(agent),
          containers(instance.path("containers")), Cells.text(instance.path("statusSince")));
    }
    table.print(out);
    return 0;
  }

  private static String since(JsonNode status) {
    JsonNode since = status.path("statusSince");
    return since.isTextual() ? " since " + since.asText() : "";
  }

  /** {@code web TASK_RUNNING, sidecar TASK_STAGING}. */
  private static String containers(JsonNode containers) {
    List<String> parts = new ArrayList<>();
    containers.forEach(c -> parts.add(c.path("name").asText() + " " + c.path("status").asText()));
    return parts.isEmpty() ? Cells.NONE : String.join(", ", parts);
  }
}
