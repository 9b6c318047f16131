package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral app add FILE|-}: {@code POST /v2/apps} with a Marathon app definition. */
@Command(name = "add", description = "Create an app from a Marathon app definition (JSON).",
    mixinStandardHelpOptions = true)
public final class AppAddCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE|-", description = "The app definition file, or - to read it from stdin.")
  String file;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;

  public AppAddCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    this.api = api;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    AppDefinition definition = AppDefinition.read(file, stdin.get());
    ApiResponse response = api.get().post("/v2/apps", definition.text());
    JsonNode created = response.json();
    // The server normalizes the id (adds the leading slash); prefer its version over what was sent.
    String id = created.hasNonNull("id") ? created.path("id").asText() : definition.json().path("id").asText("?");
    PrintWriter out = spec.commandLine().getOut();
    out.println("Created app " + id + DeploymentIds.suffix(response, created));
    out.flush();
    return 0;
  }
}
