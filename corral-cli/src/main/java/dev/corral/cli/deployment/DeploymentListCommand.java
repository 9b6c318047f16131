package dev.corral.cli.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corral deployment list}: {@code GET /v2/deployments} as a table, oldest first. */
@Command(name = "list", description = "List deployments in progress.", mixinStandardHelpOptions = true)
public final class DeploymentListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public DeploymentListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = api.get().get(Deployments.LIST_PATH).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    List<JsonNode> deployments = new ArrayList<>();
    body.forEach(deployments::add);
    // The version is when the deployment was created; ISO-8601 timestamps sort as text.
    deployments.sort(Comparator.comparing((JsonNode d) -> d.path("version").asText())
        .thenComparing(d -> d.path("id").asText()));
    Table table = Table.withHeaders("ID", "APPS/PODS", "ACTIONS", "PROGRESS", "STARTED");
    for (JsonNode deployment : deployments) {
      List<String> affected = new ArrayList<>();
      deployment.path("affectedApps").forEach(a -> affected.add(a.asText()));
      deployment.path("affectedPods").forEach(p -> affected.add(p.asText()));
      JsonNode actions = deployment.path("currentActions");
      table.row(
          Cells.text(deployment.path("id")),
          affected.isEmpty() ? Cells.NONE : String.join(",", affected),
          Deployments.actionNames(actions.size() > 0 ? actions : allActions(deployment)),
          Cells.text(deployment.path("currentStep")) + "/" + Cells.text(deployment.path("totalSteps")),
          Cells.text(deployment.path("version")));
    }
    table.print(out);
    return 0;
  }

  // Between steps nothing is current; the plan's actions still say what the deployment does.
  private static JsonNode allActions(JsonNode deployment) {
    ArrayNode all = Json.mapper().createArrayNode();
    deployment.path("steps").forEach(step -> step.path("actions").forEach(all::add));
    return all;
  }
}
