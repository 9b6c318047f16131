package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corral app list}: {@code GET /v2/apps?embed=apps.counts} as a table. */
@Command(name = "list", description = "List apps with their instance counts and resources.",
    mixinStandardHelpOptions = true)
public final class AppListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public AppListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = api.get().get("/v2/apps?embed=apps.counts").json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    AppTable.of(body.path("apps")).print(out);
    return 0;
  }
}
