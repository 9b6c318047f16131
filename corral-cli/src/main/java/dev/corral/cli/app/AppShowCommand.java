package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.AppId;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.cli.task.TaskTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral app show ID}: one app with its counts, tasks and last failure, everything a user looks at
 * first when asking "why is my app not running?".
 */
@Command(name = "show", description = "Show one app: definition summary, counts, tasks, last failure.",
    mixinStandardHelpOptions = true)
public final class AppShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Option(names = "--json", description = "Print the API's JSON instead of a summary.")
  boolean json;

  private final Supplier<ApiClient> api;

  public AppShowCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    String path = id.apiPath() + "?embed=apps.tasks,apps.counts,apps.lastTaskFailure";
    JsonNode body = api.get().get(path).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    // Marathon wraps the app as {"app": {...}}; tolerate a bare object too.
    JsonNode app = body.has("app") ? body.path("app") : body;
    fields(app).print(out);
    JsonNode tasks = app.path("tasks");
    out.println();
    if (tasks.isArray() && tasks.size() > 0) {
      out.println("Tasks:");
      TaskTable.of(tasks, false).print(out);
    } else {
      out.println("No tasks.");
    }
    out.flush();
    return 0;
  }

  static Table fields(JsonNode app) {
    Table table = Table.withColumns(2);
    table.row("ID:", Cells.text(app.path("id")));
    table.row("CMD:", Cells.oneLine(AppTable.command(app)));
    table.row("INSTANCES:", instances(app));
    table.row("CPUS:", Cells.number(app.path("cpus")));
    table.row("MEM:", Cells.number(app.path("mem")) + " MiB");
    table.row("DISK:", Cells.number(app.path("disk")) + " MiB");
    if (app.path("gpus").asDouble(0) > 0) {
      table.row("GPUS:", Cells.number(app.path("gpus")));
    }
    if (app.path("constraints").size() > 0) {
      table.row("CONSTRAINTS:", constraints(app.path("constraints")));
    }
    if (app.path("labels").size() > 0) {
      table.row("LABELS:", labels(app.path("labels")));
    }
    table.row("VERSION:", Cells.text(app.path("version")));
    List<String> deployments = new ArrayList<>();
    app.path("deployments").forEach(d -> deployments.add(d.path("id").asText()));
    if (!deployments.isEmpty()) {
      table.row("DEPLOYMENTS:", String.join(", ", deployments));
    }
    JsonNode failure = app.path("lastTaskFailure");
    if (failure.isObject()) {
      table.row("LAST FAILURE:", failure(failure));
    }
    return table;
  }

  /** {@code 1/2 running (staged 1, healthy 1, unhealthy 0)}; just the requested count without embedded counts. */
  static String instances(JsonNode app) {
    String requested = Cells.number(app.path("instances"));
    if (!app.path("tasksRunning").isNumber()) {
      return requested + " requested";
    }
    return app.path("tasksRunning").asText() + "/" + requested + " running (staged "
        + app.path("tasksStaged").asInt() + ", healthy " + app.path("tasksHealthy").asInt()
        + ", unhealthy " + app.path("tasksUnhealthy").asInt() + ")";
  }

  /** {@code hostname UNIQUE; rack_id LIKE rack-[12]}: Marathon's [field, operator, value?] triples. */
  private static String constraints(JsonNode constraints) {
    List<String> parts = new ArrayList<>();
    constraints.forEach(c -> parts.add(Cells.join(c, " ")));
    return String.join("; ", parts);
  }

  private static String labels(JsonNode labels) {
    Map<String, String> sorted = new TreeMap<>();
    labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }

  /** {@code TASK_FAILED on srv1 at 2015-...: Command exited with status 1}. */
  static String failure(JsonNode failure) {
    String message = Cells.oneLine(failure.path("message").asText(""));
    return Cells.text(failure.path("state")) + " on " + Cells.text(failure.path("host"))
        + " at " + Cells.text(failure.path("timestamp"))
        + (message.isEmpty() ? "" : ": " + message);
  }
}
