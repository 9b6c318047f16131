package dev.corral.cli;

import dev.corral.cli.deployment.WatchSettings;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code corral ARGS} in-process through {@link Cli#commandLine(java.util.function.Function,
 * java.io.InputStream, WatchSettings)} with captured stdout/stderr, a given environment and stdin. Deployments
 * are watched without pauses between polls, and a quiet event stream is rechecked quickly, so that watching
 * tests take no wall-clock time worth mentioning.
 */
public final class CliRun {
  /** What one run printed and returned; line separators normalized to {@code \n}. */
  public record Result(int exitCode, String out, String err) {}

  /** Plain output (not a terminal), no waiting between polls. */
  public static final WatchSettings PLAIN = new WatchSettings(false, d -> { }, Duration.ofSeconds(1),
      Duration.ofMillis(50));

  private CliRun() {}

  public static Result run(String... args) {
    return run(Map.of(), "", args);
  }

  public static Result run(Map<String, String> env, String stdin, String... args) {
    return run(PLAIN, env, stdin, args);
  }

  /** As if stdout were a terminal: progress is rewritten in place. */
  public static Result runOnTerminal(String... args) {
    return run(new WatchSettings(true, PLAIN.sleeper(), PLAIN.pollInterval(), PLAIN.recheckInterval()),
        Map.of(), "", args);
  }

  public static Result run(WatchSettings watch, Map<String, String> env, String stdin, String... args) {
    CommandLine cli = Cli.commandLine(env::get,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), watch);
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
