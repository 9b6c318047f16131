package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.AppId;
import dev.corral.cli.output.PrettyJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corral task list [--app ID]}: {@code GET /v2/tasks}, or one app's {@code /v2/apps/{id}/tasks}. */
@Command(name = "list", description = "List tasks, of all apps or of one.", mixinStandardHelpOptions = true)
public final class TaskListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--app", paramLabel = "ID", description = "Only the tasks of this app, e.g. /group/app.")
  AppId app;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public TaskListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    String path = app == null ? "/v2/tasks" : app.tasksPath();
    JsonNode body = api.get().get(path).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
    } else {
      TaskTable.of(body.path("tasks"), true).print(out);
    }
    return 0;
  }
}
