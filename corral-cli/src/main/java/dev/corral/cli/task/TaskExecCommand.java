package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.HintedException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral task exec [-i] [-t] TASK -- CMD [ARG...]}: runs a command inside a running task through the
 * gateway's WebSocket {@code /system/v1/exec/tasks/{id}} (frames: {@code dev.corral.common.ExecFrames}) and
 * exits with the command's exit code. {@code -t} gives the command a terminal and puts the local one in raw
 * mode for the duration (restored on every exit path); {@code -i} forwards local input, otherwise the
 * command's input ends at once. Options go before TASK: everything after it belongs to the command.
 */
@Command(name = "exec", description = "Run a command inside a running task: corral task exec -it TASK -- sh",
    mixinStandardHelpOptions = true)
public final class TaskExecCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-i", "--interactive"}, description = "Forward this terminal's input to the command.")
  boolean interactive;

  @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal (for shells and editors).")
  boolean tty;

  @Parameters(index = "0", paramLabel = "TASK", description = "A task id, or an app id (its most recent running task).")
  String task;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD",
      description = "The command and its arguments, after -- or right after TASK.")
  List<String> command;

  private final Supplier<ApiClient> api;
  private final Supplier<InputStream> stdin;
  private final Function<String, String> env;

  public TaskExecCommand(Supplier<ApiClient> api, Supplier<InputStream> stdin, Function<String, String> env) {
    this.api = api;
    this.stdin = stdin;
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    ApiClient client = api.get();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String id = TaskResolver.resolve(client, task, line -> {
      err.println(line);
      err.flush();
    });
    ExecConnection connection = new ExecConnection(out, err);
    LocalTerminal terminal = tty ? LocalTerminal.raw(connection::resize) : null;
    try {
      StringBuilder path = new StringBuilder("/system/v1/exec/tasks/").append(TaskPaths.segment(id)).append('?');
      commandWords().forEach(word -> path.append("cmd=").append(TaskPaths.query(word)).append('&'));
      path.append("stdin=").append(interactive).append("&tty=").append(tty);
      if (terminal != null) {
        String term = env.apply("TERM");
        path.append("&cols=").append(terminal.cols()).append("&rows=").append(terminal.rows())
            .append(term == null ? "" : "&term=" + TaskPaths.query(term));
      }
      WebSocket socket = client.webSocket(path.toString(), connection);
      connection.attach(socket);
      if (interactive) {
        InputStream in = terminal != null ? terminal.input() : stdin.get();
        Thread pump = new Thread(() -> connection.pumpStdin(in), "exec-stdin");
        pump.setDaemon(true); // a read on the keyboard never ends by itself; it must not hold the exit
        pump.start();
      }
      JsonNode outcome = connection.awaitOutcome();
      socket.abort();
      return exitCode(id, outcome);
    } finally {
      if (terminal != null) {
        terminal.close();
      }
    }
  }

  /** The command; picocli stops parsing at TASK, so the {@code --} that may follow it arrives here. */
  List<String> commandWords() {
    return !command.isEmpty() && command.get(0).equals("--") ? command.subList(1, command.size()) : command;
  }

  private static int exitCode(String id, JsonNode outcome) {
    if (outcome == null) {
      throw new HintedException("the connection to task " + id + " closed before the command ended",
          List.of("is the task still running? (corral task list)"));
    }
    if (outcome.hasNonNull("error")) {
      throw new HintedException(outcome.path("error").asText(), List.of());
    }
    return outcome.path("exitCode").asInt(1);
  }
}
