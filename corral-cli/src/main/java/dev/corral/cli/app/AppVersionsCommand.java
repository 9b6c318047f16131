package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.AppId;
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
 * {@code corral app versions ID}: the app's versions, newest first ({@code GET /v2/apps/{id}/versions});
 * {@code corral app versions ID VERSION}: the definition at that version
 * ({@code GET /v2/apps/{id}/versions/{version}}).
 */
@Command(name = "versions", mixinStandardHelpOptions = true,
    description = {"List the versions of an app, newest first,",
        "or show its definition at one version (--json for all of it)."})
public final class AppVersionsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", converter = AppVersion.Converter.class,
      description = "A version from the list, e.g. 2015-09-30T09:09:17.614Z.")
  AppVersion version;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public AppVersionsCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    String path = id.apiPath() + "/versions" + (version == null ? "" : "/" + version);
    JsonNode body = api.get().get(path).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    if (version != null) {
      AppShowCommand.fields(body.has("app") ? body.path("app") : body).print(out);
      return 0;
    }
    List<String> versions = new ArrayList<>();
    body.path("versions").forEach(v -> versions.add(v.asText()));
    // Marathon lists newest first already; sorting makes that true of any server (timestamps sort as text).
    versions.sort(Comparator.reverseOrder());
    Table table = Table.withHeaders("VERSION");
    versions.forEach(table::row);
    table.print(out);
    return 0;
  }
}
