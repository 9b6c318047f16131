package dev.corral.agent.exec;

import java.util.List;
import java.util.function.Function;

/**
 * What the client asks for in the upgrade request's query:
 * {@code ?cmd=sh&cmd=-c&cmd=SCRIPT&tty=true&stdin=true&cols=80&rows=24&term=xterm-256color}. One {@code cmd}
 * per argument (the command is never split or run by a shell unless it says so), as Kubernetes'
 * {@code command=}. Immutable.
 *
 * @param stdin whether the client forwards its input; false ends the command's input at once
 */
public record ExecRequest(List<String> command, boolean tty, boolean stdin, int cols, int rows, String term) {
  static final int MAX_SIZE = 10_000;

  public ExecRequest {
    command = List.copyOf(command);
  }

  /** @param params a query parameter's values, empty when absent */
  public static ExecRequest parse(Function<String, List<String>> params) throws ExecException {
    List<String> command = params.apply("cmd");
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw new ExecException(400, "no command: pass it as cmd=PROGRAM&cmd=ARG...");
    }
    return new ExecRequest(command, flag(params, "tty"), flag(params, "stdin"), size(params, "cols", 80),
        size(params, "rows", 24), first(params, "term"));
  }

  private static boolean flag(Function<String, List<String>> params, String name) {
    String v = first(params, name);
    return "true".equals(v) || "1".equals(v);
  }

  private static int size(Function<String, List<String>> params, String name, int fallback) throws ExecException {
    String v = first(params, name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 1 || n > MAX_SIZE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ExecException(400, name + " must be a number from 1 to " + MAX_SIZE + ", got '" + v + "'");
    }
  }

  private static String first(Function<String, List<String>> params, String name) {
    List<String> values = params.apply(name);
    return values.isEmpty() ? null : values.get(0);
  }
}
