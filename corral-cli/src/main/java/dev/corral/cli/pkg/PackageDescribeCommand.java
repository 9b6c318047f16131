package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral package describe NAME}: what the package is, its notes and every option with its default. */
@Command(name = "describe", description = "Show a package: description, versions, notes and options with defaults.",
    mixinStandardHelpOptions = true)
final class PackageDescribeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The package.")
  String name;

  @Option(names = "--package-version", paramLabel = "VERSION", description = "A version other than the newest.")
  String version;

  @Option(names = "--json", description = "Print the API's JSON (package.json, config, template, resource).")
  boolean json;

  private final Supplier<ApiClient> api;

  PackageDescribeCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    ObjectNode request = Cosmos.request().put("packageName", name);
    if (version != null) {
      request.put("packageVersion", version);
    }
    JsonNode body = Cosmos.call(api.get(), "describe", request);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    JsonNode p = body.path("package");
    out.println(p.path("name").asText() + " " + p.path("version").asText() + " — " + p.path("description").asText());
    JsonNode versions = Cosmos.call(api.get(), "list-versions", Cosmos.request().put("packageName", name)).path("results");
    List<String> names = new ArrayList<>();
    versions.fieldNames().forEachRemaining(names::add);
    out.println("versions: " + String.join(", ", names));
    if (p.hasNonNull("maintainer")) {
      out.println("maintainer: " + p.path("maintainer").asText());
    }
    if (p.hasNonNull("preInstallNotes")) {
      out.println();
      out.println("Before installing: " + p.path("preInstallNotes").asText());
    }
    Table options = Table.withHeaders("OPTION", "TYPE", "DEFAULT", "DESCRIPTION");
    addOptions(options, "", p.path("config"));
    out.println();
    out.println("Options (corral package install " + name + " --options FILE, FILE a JSON object of these):");
    options.print(out);
    return 0;
  }

  private static void addOptions(Table table, String prefix, JsonNode schema) {
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix + e.getKey();
      JsonNode def = e.getValue();
      if (def.has("properties")) {
        addOptions(table, path + ".", def);
      } else {
        table.row(path, def.path("type").asText(Cells.NONE),
            def.has("default") ? Cells.truncate(def.get("default").toString(), 30) : Cells.NONE,
            Cells.truncate(Cells.oneLine(def.path("description").asText("")), 70));
      }
    }
  }
}
