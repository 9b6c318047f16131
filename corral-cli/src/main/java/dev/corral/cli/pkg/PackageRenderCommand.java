package dev.corral.cli.pkg;

import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code corral package render NAME}: the app (or group) an install would create, without creating it. */
@Command(name = "render", description = "Print the Marathon definition an install would create, installing nothing.",
    mixinStandardHelpOptions = true)
final class PackageRenderCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PackageSelection selection;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;

  PackageRenderCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    this.api = api;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrettyJson.print(spec.commandLine().getOut(),
        Cosmos.call(api.get(), "render", selection.request(stdin.get())).path("marathonJson"));
    return 0;
  }
}
