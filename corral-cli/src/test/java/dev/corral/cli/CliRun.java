package dev.corral.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code corral ARGS} in-process through {@link Cli#commandLine(java.util.function.Function,
 * java.io.InputStream)} with captured stdout/stderr, a given environment and stdin.
 */
public final class CliRun {
  /** What one run printed and returned; line separators normalized to {@code \n}. */
  public record Result(int exitCode, String out, String err) {}

  private CliRun() {}

  public static Result run(String... args) {
    return run(Map.of(), "", args);
  }

  public static Result run(Map<String, String> env, String stdin, String... args) {
    CommandLine cli = Cli.commandLine(env::get,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return execute(cli, args);
  }

  /** Runs an already built command line (e.g. one extended the way the launcher does). */
  public static Result execute(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, normalize(out.toString()), normalize(err.toString()));
  }

  private static String normalize(String s) {
    return s.replace(System.lineSeparator(), "\n");
  }
}
