package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral package render NAME}: the app (or group) an install would create, without creating it. */
@Command(name = "render", description = "Print the Marathon definition an install would create, installing nothing.",
    mixinStandardHelpOptions = true)
final class PackageRenderCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The package.")
  String name;

  @Option(names = "--package-version", paramLabel = "VERSION", description = "A version other than the newest.")
  String version;

  @Option(names = "--options", paramLabel = "FILE|-", description = "A JSON object of options.")
  String optionsFile;

  @Option(names = "--app-id", paramLabel = "ID", description = "The id to render under.")
  String appId;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;

  PackageRenderCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin) {
    this.api = api;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    ObjectNode request = Cosmos.request().put("packageName", name);
    if (version != null) {
      request.put("packageVersion", version);
    }
    if (optionsFile != null) {
      request.set("options", Cosmos.options(optionsFile, stdin.get()));
    }
    if (appId != null) {
      request.put("appId", appId);
    }
    PrettyJson.print(spec.commandLine().getOut(), Cosmos.call(api.get(), "render", request).path("marathonJson"));
    return 0;
  }
}
