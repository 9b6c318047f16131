package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral package search [QUERY]}. */
@Command(name = "search", description = "Search the catalog by name, description or tag ('*' matches anything).",
    mixinStandardHelpOptions = true)
final class PackageSearchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "QUERY", description = "What to look for (default: everything).")
  String query;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  PackageSearchCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = Cosmos.call(api.get(), "search", Cosmos.request().put("query", query == null ? "" : query));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    Table table = Table.withHeaders("NAME", "VERSION", "SELECTED", "FRAMEWORK", "DESCRIPTION");
    for (JsonNode p : body.path("packages")) {
      table.row(p.path("name").asText(), p.path("currentVersion").asText(), p.path("selected").asBoolean() ? "yes" : "no",
          p.path("framework").asBoolean() ? "yes" : "no", Cells.truncate(Cells.oneLine(p.path("description").asText()), 70));
    }
    table.print(out);
    return 0;
  }
}
