package dev.corral.cli.app;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.input.Definition;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  public AppAddCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    Definition definition = Definition.read("app definition", file, stdin.get());
    ApiClient client = api.get();
    ApiResponse response = client.post("/v2/apps", definition.text());
    // The server normalizes the id (adds the leading slash); prefer its version over what was sent.
    String id = response.json().hasNonNull("id") ? response.json().path("id").asText()
        : definition.json().path("id").asText("?");
    return write.report(spec, client, watch, response, "Created app " + id);
  }
}
