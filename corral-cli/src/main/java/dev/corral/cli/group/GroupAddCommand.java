package dev.corral.cli.group;

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

/** {@code corral group add FILE|-}: {@code POST /v2/groups} with a Marathon group definition. */
@Command(name = "add", description = "Create a group, with its apps and child groups, from a definition (JSON).",
    mixinStandardHelpOptions = true)
public final class GroupAddCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE|-", description = "The group definition file, or - to read it from stdin.")
  String file;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  public GroupAddCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    Definition definition = Definition.read("group definition", file, stdin.get());
    ApiClient client = api.get();
    ApiResponse response = client.post("/v2/groups", definition.text());
    return write.report(spec, client, watch, response,
        "Created group " + definition.json().path("id").asText("?"));
  }
}
