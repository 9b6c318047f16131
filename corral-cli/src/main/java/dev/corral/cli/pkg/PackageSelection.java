package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which package, which version, with which options and under which id: shared by install and render. */
final class PackageSelection {
  @Parameters(paramLabel = "NAME", description = "The package.")
  String name;

  @Option(names = "--package-version", paramLabel = "VERSION", description = "A version other than the newest.")
  String version;

  @Option(names = "--options", paramLabel = "FILE|-", description = "A JSON object of options (see `package describe`).")
  String optionsFile;

  @Option(names = "--app-id", paramLabel = "ID", description = "Use this id instead of the package's service name.")
  String appId;

  /** The Cosmos request body naming all of the above. */
  ObjectNode request(InputStream stdin) {
    ObjectNode request = Cosmos.request().put("packageName", name);
    if (version != null) {
      request.put("packageVersion", version);
    }
    if (optionsFile != null) {
      request.set("options", Cosmos.options(optionsFile, stdin));
    }
    if (appId != null) {
      request.put("appId", appId);
    }
    return request;
  }
}
