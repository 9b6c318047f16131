package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.deployment.DeploymentWatcher;
import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code corral package install NAME}: shows the pre-install notes, asks, installs, then follows the deployment
 * with a progress line until the service's tasks run (and pass their health checks), then prints the
 * post-install notes.
 */
@Command(name = "install", description = "Install a package: its apps are deployed like any app.",
    mixinStandardHelpOptions = true)
final class PackageInstallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PackageSelection selection;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--no-wait", description = "Return once the install is accepted, without following the deployment.")
  boolean noWait;

  @Option(names = "--json", description = "Print the API's JSON answer (implies no questions and no progress).")
  boolean json;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  PackageInstallCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ApiClient client = api.get();
    ObjectNode request = selection.request(stdin.get());
    String name = selection.name;
    if (!json) {
      JsonNode described = Cosmos.call(client, "describe", Cosmos.request().put("packageName", name)
          .put("packageVersion", selection.version)).path("package");
      if (described.hasNonNull("preInstallNotes")) {
        out.println(described.path("preInstallNotes").asText());
      }
      if (!yes && !Confirmation.ask(out, stdin.get(), "Install " + name + " " + described.path("version").asText() + "?")) {
        out.println("Nothing installed.");
        return 1;
      }
    }
    JsonNode installed = Cosmos.call(client, "install", request);
    if (json) {
      PrettyJson.print(out, installed);
      return 0;
    }
    out.println("Installing " + installed.path("packageName").asText() + " " + installed.path("packageVersion").asText()
        + " as " + installed.path("appId").asText());
    out.flush();
    if (!noWait && installed.hasNonNull("deploymentId")) {
      new DeploymentWatcher(client, watch, out, false).follow(installed.path("deploymentId").asText(), true);
    }
    if (installed.hasNonNull("postInstallNotes")) {
      out.println(installed.path("postInstallNotes").asText());
    }
    return 0;
  }
}
