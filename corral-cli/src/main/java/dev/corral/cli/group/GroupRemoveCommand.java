package dev.corral.cli.group;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.GroupId;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral group remove ID}: {@code DELETE /v2/groups/{id}}, with every app and group inside it. */
@Command(name = "remove", description = "Remove a group with all its apps, pods and child groups.",
    mixinStandardHelpOptions = true)
public final class GroupRemoveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The group id, e.g. /prod.")
  GroupId id;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public GroupRemoveCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    // Marathon would accept it and stop everything on the cluster; one slip of the keyboard is too little.
    if (id.isRoot()) {
      throw new ParameterException(spec.commandLine(),
          "refusing to remove the root group / (that is every app); remove its groups one by one");
    }
    ApiClient client = api.get();
    ApiResponse response = client.delete(id.apiPath() + (force ? "?force=true" : ""));
    return write.report(spec, client, watch, response, "Removing group " + id);
  }
}
