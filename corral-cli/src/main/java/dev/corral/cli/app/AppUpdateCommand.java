package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.deployment.WriteOptions;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.http.AppId;
import dev.corral.cli.input.Definition;
import dev.corral.common.Json;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral app update ID FILE|-} and {@code corral app update ID KEY=VALUE...}: a partial update, i.e.
 * {@code PUT /v2/apps/{id}} with only the fields to change. Fields left out keep their values.
 *
 * <p>There is deliberately no {@code app patch}: Marathon's {@code PATCH /v2/apps/{id}} does the same as this
 * partial PUT, and one command per effect is easier to find.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {"Change some fields of an app; the others keep their values.",
        "Either a JSON file (or - for stdin) with the fields to change,",
        "or KEY=VALUE pairs for " + AppChanges.SUPPORTED + "."},
    footer = {"", "Examples:",
        "  corral app update /web instances=3 cpus=0.5 env.LOG_LEVEL=debug",
        "  corral app update /web changes.json --wait"})
public final class AppUpdateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE|-|KEY=VALUE",
      description = "A JSON file with the fields to change, - for stdin, or KEY=VALUE pairs.")
  List<String> changes;

  @Option(names = "--force", description = "Override a deployment in progress (Marathon's force=true).")
  boolean force;

  @Mixin
  WriteOptions write;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final WatchSettings watch;

  public AppUpdateCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    this.api = api;
    this.stdin = stdin;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    String body;
    if (changes.size() == 1 && !AppChanges.isChange(changes.get(0))) {
      body = Definition.read("app definition", changes.get(0), stdin.get()).text();
    } else {
      body = fromPairs(client);
    }
    ApiResponse response = client.put(id.apiPath() + (force ? "?force=true" : ""), body);
    return write.report(spec, client, watch, response, "Updating app " + id);
  }

  private String fromPairs(ApiClient client) {
    for (String arg : changes) {
      if (!AppChanges.isChange(arg)) {
        throw new ParameterException(spec.commandLine(),
            "give either one FILE (or -) or KEY=VALUE pairs, not both; '" + arg + "' is not KEY=VALUE");
      }
    }
    AppChanges parsed;
    try {
      parsed = AppChanges.parse(changes);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    JsonNode current = Json.mapper().missingNode();
    if (parsed.touchesMaps()) {
      JsonNode answer = client.get(id.apiPath()).json();
      current = answer.has("app") ? answer.path("app") : answer;
    }
    return parsed.body(current).toString();
  }
}
