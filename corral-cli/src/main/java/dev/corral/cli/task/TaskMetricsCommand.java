package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Datapoints;
import dev.corral.cli.output.PrettyJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral task metrics TASK [--json]}: the task's container metrics (cpu time and throttling, memory,
 * OOM kills, pids) through the gateway's {@code /system/v1/metrics/v0/containers/{id}}.
 */
@Command(name = "metrics", description = "Print a running task's cpu, memory and pids metrics.",
    mixinStandardHelpOptions = true)
public final class TaskMetricsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "TASK", description = "A task id, or an app id (its most recent running task).")
  String task;

  @Option(names = "--json", description = "Print the API's JSON (dcos-metrics shape) instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public TaskMetricsCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    PrintWriter err = spec.commandLine().getErr();
    String id = TaskResolver.resolve(client, task, line -> {
      err.println(line);
      err.flush();
    });
    JsonNode body = client.get("/system/v1/metrics/v0/containers/" + TaskPaths.segment(id)).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
    } else {
      Datapoints.table(body).print(out);
    }
    out.flush();
    return 0;
  }
}
