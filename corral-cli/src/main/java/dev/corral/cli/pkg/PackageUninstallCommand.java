package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral package uninstall NAME}: removes the apps (or group) an install created. */
@Command(name = "uninstall", description = "Uninstall a package: stops and removes everything its install created.",
    mixinStandardHelpOptions = true)
final class PackageUninstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The package.")
  String name;

  @Option(names = "--app-id", paramLabel = "ID", description = "Which install, when the package is installed more than once.")
  String appId;

  @Option(names = "--all", description = "Every install of the package.")
  boolean all;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--json", description = "Print the API's JSON answer.")
  boolean json;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;

  PackageUninstallCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    this.api = api;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!yes && !json && !Confirmation.ask(out, stdin.get(), "Uninstall " + name
        + (appId != null ? " (" + appId + ")" : all ? " (every install)" : "") + "?")) {
      out.println("Nothing uninstalled.");
      return 1;
    }
    ObjectNode request = Cosmos.request().put("packageName", name).put("all", all);
    if (appId != null) {
      request.put("appId", appId);
    }
    JsonNode body = Cosmos.call(api.get(), "uninstall", request);
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    for (JsonNode r : body.path("results")) {
      out.println("Uninstalled " + r.path("packageName").asText() + " " + r.path("packageVersion").asText() + " ("
          + r.path("appId").asText() + ")");
      if (r.hasNonNull("postUninstallNotes")) {
        out.println(r.path("postUninstallNotes").asText());
      }
    }
    return 0;
  }
}
