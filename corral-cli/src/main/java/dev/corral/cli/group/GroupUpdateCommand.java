package dev.corral.cli.group;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.GroupId;
import dev.corral.cli.input.Definition;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral group update ID FILE|-}: {@code PUT /v2/groups/{id}}. The group becomes what the file says:
 * apps it adds are started, apps it leaves out are stopped, changed apps are redeployed.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {"Make a group what a definition (JSON) says:",
        "new apps start, apps left out stop, changed apps are redeployed."})
public final class GroupUpdateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The group id, e.g. /prod.")
  GroupId id;

  @Parameters(index = "1", paramLabel = "FILE|-", description = "The group definition file, or - for stdin.")
  String file;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  public GroupUpdateCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    Definition definition = Definition.read("group definition", file, stdin.get());
    ApiClient client = api.get();
    ApiResponse response = client.put(id.apiPath() + (force ? "?force=true" : ""), definition.text());
    return write.report(spec, client, watch, response, "Updating group " + id);
  }
}
