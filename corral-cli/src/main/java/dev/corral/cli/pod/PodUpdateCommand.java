package dev.corral.cli.pod;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.PodId;
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
 * {@code corral pod update ID FILE|-}: {@code PUT /v2/pods/{id}} with the pod's complete new definition
 * (pods, unlike apps, have no partial update).
 */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {"Replace a pod's definition (the whole pod, JSON); its instances are redeployed.",
        "Start from 'corral pod show ID --json'."})
public final class PodUpdateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The pod id, e.g. /group/pod.")
  PodId id;

  @Parameters(index = "1", paramLabel = "FILE|-", description = "The pod definition file, or - for stdin.")
  String file;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  public PodUpdateCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    Definition definition = Definition.read("pod definition", file, stdin.get());
    ApiClient client = api.get();
    ApiResponse response = client.put(id.apiPath() + (force ? "?force=true" : ""), definition.text());
    return write.report(spec, client, watch, response, "Updating pod " + id);
  }
}
