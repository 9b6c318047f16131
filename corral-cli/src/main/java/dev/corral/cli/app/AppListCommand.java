package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corral app list}: {@code GET /v2/apps?embed=apps.counts} as a table. */
@Command(name = "list", description = "List apps with their instance counts and resources.",
    mixinStandardHelpOptions = true)
public final class AppListCommand implements Callable<Integer> {
  /** Wide enough to recognize a command, narrow enough to keep a row on one 120-column line. */
  static final int CMD_WIDTH = 40;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public AppListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = api.get().get("/v2/apps?embed=apps.counts").json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    List<JsonNode> apps = new ArrayList<>();
    body.path("apps").forEach(apps::add);
    apps.sort(Comparator.comparing(a -> a.path("id").asText()));
    Table table = Table.withHeaders("ID", "INSTANCES", "CPUS", "MEM", "DISK", "CMD");
    for (JsonNode app : apps) {
      table.row(
          Cells.text(app.path("id")),
          instances(app),
          Cells.number(app.path("cpus")),
          Cells.number(app.path("mem")),
          Cells.number(app.path("disk")),
          Cells.truncate(command(app), CMD_WIDTH));
    }
    table.print(out);
    return 0;
  }

  /** {@code running/requested}; a server that ignores {@code embed=apps.counts} gives {@code -/requested}. */
  static String instances(JsonNode app) {
    JsonNode running = app.path("tasksRunning");
    return (running.isNumber() ? running.asText() : Cells.NONE) + "/" + Cells.number(app.path("instances"));
  }

  /** What the app runs: its cmd, else its args, else its container image (Docker apps often have no cmd). */
  static String command(JsonNode app) {
    if (app.hasNonNull("cmd") && !app.path("cmd").asText().isBlank()) {
      return app.path("cmd").asText();
    }
    if (app.path("args").isArray() && app.path("args").size() > 0) {
      return Cells.join(app.path("args"), " ");
    }
    JsonNode container = app.path("container");
    JsonNode image = container.path("docker").path("image");
    if (image.isMissingNode()) {
      image = container.path("appc").path("image");
    }
    return image.isTextual() ? "image " + image.asText() : Cells.NONE;
  }
}
