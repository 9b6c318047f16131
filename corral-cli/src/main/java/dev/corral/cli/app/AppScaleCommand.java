package dev.corral.cli.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.AppId;
import dev.corral.common.Json;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral app scale ID N}: {@code PUT /v2/apps/{id}} with {@code {"instances": N}}. */
@Command(name = "scale", description = "Change the number of instances of an app.", mixinStandardHelpOptions = true)
public final class AppScaleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Parameters(index = "1", paramLabel = "N", description = "The number of instances wanted (0 suspends the app).")
  int instances;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public AppScaleCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    if (instances < 0) {
      throw new ParameterException(spec.commandLine(), "N must be 0 or more, got " + instances);
    }
    // Only the one field: a PUT with a partial body is how Marathon scales without touching the rest.
    ObjectNode body = Json.mapper().createObjectNode().put("instances", instances);
    String path = id.apiPath() + (force ? "?force=true" : "");
    ApiClient client = api.get();
    ApiResponse response = client.put(path, body.toString());
    return write.report(spec, client, watch, response,
        "Scaling app " + id + " to " + instances + (instances == 1 ? " instance" : " instances"));
  }
}
