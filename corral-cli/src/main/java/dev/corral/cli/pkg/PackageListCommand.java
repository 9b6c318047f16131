package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
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

/** {@code corral package list [NAME]}: installed packages. */
@Command(name = "list", description = "List installed packages.", mixinStandardHelpOptions = true)
final class PackageListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this package.")
  String name;

  @Option(names = "--app-id", paramLabel = "ID", description = "Only the install with this id.")
  String appId;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  PackageListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    ObjectNode request = Cosmos.request();
    if (name != null) {
      request.put("packageName", name);
    }
    if (appId != null) {
      request.put("appId", appId);
    }
    JsonNode body = Cosmos.call(api.get(), "list", request);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    Table table = Table.withHeaders("APP", "PACKAGE", "VERSION");
    for (JsonNode p : body.path("packages")) {
      JsonNode def = p.path("packageInformation").path("packageDefinition");
      table.row(p.path("appId").asText(), def.path("name").asText(), def.path("version").asText());
    }
    table.print(out);
    return 0;
  }
}
