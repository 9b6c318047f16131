package dev.corral.cli.pod;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.PodId;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral pod remove ID}: {@code DELETE /v2/pods/{id}}; its instances are killed by the deployment. */
@Command(name = "remove", description = "Remove a pod and kill its instances.", mixinStandardHelpOptions = true)
public final class PodRemoveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The pod id, e.g. /group/pod.")
  PodId id;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public PodRemoveCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    ApiResponse response = client.delete(id.apiPath() + (force ? "?force=true" : ""));
    return write.report(spec, client, watch, response, "Removing pod " + id);
  }
}
