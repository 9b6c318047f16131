package dev.corral.cli.task;

import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.EventStream;
import dev.corral.cli.http.ServerSentEvent;
import dev.corral.cli.output.HintedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral task log [-f] [-n N] [--stderr] TASK}: a task's stdout (or stderr) through the gateway's
 * {@code /system/v1/logs/tasks/{id}/{file}}; with {@code --follow}, lines as they are written until the task
 * ends (the stream's {@code eof} event) or Ctrl-C.
 */
@Command(name = "log", description = "Print a task's stdout or stderr; --follow keeps printing new lines.",
    mixinStandardHelpOptions = true)
public final class TaskLogCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "TASK", description = "A task id, or an app id (its most recent running task).")
  String task;

  @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are written, until the task ends.")
  boolean follow;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
      description = "How many of the last lines to print first (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = "--stderr", description = "The task's stderr instead of its stdout.")
  boolean stderr;

  private final Supplier<ApiClient> api;

  public TaskLogCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() throws IOException {
    ApiClient client = api.get();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String id = TaskResolver.resolve(client, task, line -> {
      err.println(line);
      err.flush();
    });
    String path = "/system/v1/logs/tasks/" + TaskPaths.segment(id) + "/" + (stderr ? "stderr" : "stdout")
        + "?lines=" + Math.max(0, lines);
    if (!follow) {
      out.print(client.get(path).body());
      out.flush();
      return 0;
    }
    Optional<EventStream> stream = client.events(path + "&follow=true");
    if (stream.isEmpty()) {
      // no event stream: show the error the plain request gives (unknown task, unreachable agent)
      client.get(path);
      throw new HintedException("the gateway does not stream logs at " + client.baseUrl(),
          List.of("run without --follow"));
    }
    try (EventStream events = stream.get()) {
      Optional<ServerSentEvent> next;
      while ((next = events.next()).isPresent()) {
        ServerSentEvent e = next.get();
        if (e.type().equals("eof")) {
          break;
        }
        if (e.type().equals("message")) {
          out.println(e.data());
          out.flush();
        }
      }
    }
    return 0;
  }
}
