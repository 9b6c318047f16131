package dev.corral.cli.deployment;

import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.DeploymentId;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral deployment rollback ID}: {@code DELETE /v2/deployments/{id}}. Marathon cancels the deployment
 * and starts a new one that undoes what it changed; the new deployment's id is printed.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Cancel a deployment and start one that reverts its changes.")
public final class DeploymentRollbackCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The deployment id (see 'corral deployment list').")
  DeploymentId id;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public DeploymentRollbackCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    ApiResponse response = client.delete(id.apiPath());
    return write.report(spec, client, watch, response, rollback -> "Rolling back deployment " + id
        + rollback.map(r -> ": the rollback is deployment " + r).orElse(""));
  }
}
