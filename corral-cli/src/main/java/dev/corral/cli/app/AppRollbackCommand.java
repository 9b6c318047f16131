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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral app rollback ID VERSION}: {@code PUT /v2/apps/{id}} with {@code {"version": VERSION}}. Marathon
 * ignores every other field of such a body and makes the stored definition of that version current again, as
 * a new version; an unknown version is a 404.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Make an earlier version of an app current again (as a new version).",
        "'corral app versions ID' lists the versions."})
public final class AppRollbackCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Parameters(index = "1", paramLabel = "VERSION", converter = AppVersion.Converter.class,
      description = "The version to go back to, e.g. 2015-09-30T09:09:17.614Z.")
  AppVersion version;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public AppRollbackCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    ObjectNode body = Json.mapper().createObjectNode().put("version", version.value());
    ApiClient client = api.get();
    ApiResponse response = client.put(id.apiPath() + (force ? "?force=true" : ""), body.toString());
    return write.report(spec, client, watch, response, "Rolling back app " + id + " to version " + version);
  }
}
