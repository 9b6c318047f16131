package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral task ls TASK [PATH]}: a directory of the task's sandbox, like {@code ls -l}. */
@Command(name = "ls", description = "List files in a task's sandbox.", mixinStandardHelpOptions = true)
public final class TaskLsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK", description = "A task id, or an app id (its most recent running task).")
  String task;

  @Parameters(index = "1", paramLabel = "PATH", defaultValue = "", description = "A directory in the sandbox (default: its top).")
  String path;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public TaskLsCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    PrintWriter out = spec.commandLine().getOut();
    String id = TaskResolver.resolve(client, task, line -> {
      spec.commandLine().getErr().println(line);
      spec.commandLine().getErr().flush();
    });
    JsonNode entries = client.get("/system/v1/files/tasks/" + TaskPaths.segment(id) + "/browse?path="
        + TaskPaths.query(path)).json();
    if (json) {
      PrettyJson.print(out, entries);
      return 0;
    }
    Table table = Table.withHeaders("MODE", "SIZE", "MODIFIED (UTC)", "PATH");
    for (JsonNode e : entries) {
      table.row(Cells.text(e.path("mode")), Cells.number(e.path("size")),
          TIME.format(Instant.ofEpochSecond(e.path("mtime").asLong())),
          e.path("path").asText() + (e.path("isDir").asBoolean() ? "/" : ""));
    }
    table.print(out);
    return 0;
  }
}
