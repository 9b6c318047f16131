package dev.corral.cli.task;

import dev.corral.cli.http.ApiClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral task cat TASK PATH}: a file of the task's sandbox. */
@Command(name = "cat", description = "Print a file from a task's sandbox.", mixinStandardHelpOptions = true)
public final class TaskCatCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK", description = "A task id, or an app id (its most recent running task).")
  String task;

  @Parameters(index = "1", paramLabel = "PATH", description = "The file, relative to the sandbox, e.g. stdout.")
  String path;

  private final Supplier<ApiClient> api;

  public TaskCatCommand(Supplier<ApiClient> api) {
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
    out.print(client.get("/system/v1/files/tasks/" + TaskPaths.segment(id) + "/download?path="
        + TaskPaths.query(path)).body());
    out.flush();
    return 0;
  }
}
