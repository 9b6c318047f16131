package dev.corral.cli.app;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.AppId;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral app restart ID}: {@code POST /v2/apps/{id}/restart}. Every task is replaced, following the
 * app's upgrade strategy, without changing its definition.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Replace all tasks of an app, following its upgrade strategy.")
public final class AppRestartCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public AppRestartCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    ApiResponse response = client.post(id.apiPath() + "/restart" + (force ? "?force=true" : ""), null);
    return write.report(spec, client, watch, response, "Restarting app " + id);
  }
}
