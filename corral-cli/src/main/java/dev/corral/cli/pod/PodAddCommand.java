package dev.corral.cli.pod;

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

/** {@code corral pod add FILE|-}: {@code POST /v2/pods} with a Marathon pod definition. */
@Command(name = "add", description = "Create a pod from a Marathon pod definition (JSON).",
    mixinStandardHelpOptions = true)
public final class PodAddCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE|-", description = "The pod definition file, or - to read it from stdin.")
  String file;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  public PodAddCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    Definition definition = Definition.read("pod definition", file, stdin.get());
    ApiClient client = api.get();
    ApiResponse response = client.post("/v2/pods", definition.text());
    // The created pod comes back with its normalized id.
    String id = response.json().hasNonNull("id") ? response.json().path("id").asText()
        : definition.json().path("id").asText("?");
    return write.report(spec, client, watch, response, "Created pod " + id);
  }
}
