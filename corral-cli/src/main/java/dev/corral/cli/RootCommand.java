package dev.corral.cli;

import dev.corral.cli.http.ApiClient;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code corral}: owns the options that apply to every subcommand and hands subcommands their API client.
 * One instance per command line; not thread-safe (picocli fills it while parsing).
 */
// scope = INHERIT passes --help/--version and the version text on to every subcommand, the launcher's too.
@Command(name = "corral", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    description = "Run and inspect services on a Corral cluster.")
final class RootCommand implements Callable<Integer> {
  static final String URL_ENV = "CORRAL_URL";

  @Spec
  CommandSpec spec;

  // INHERIT copies the option to every subcommand, but the copies keep this field as their target, so
  // `corral --url X app list` and `corral app list --url X` both end up here.
  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = {"The cluster's API address.", "Default: $" + URL_ENV + ", else " + ApiClient.DEFAULT_URL + "."})
  String url;

  private final Function<String, String> env;

  RootCommand(Function<String, String> env) {
    this.env = env;
  }

  /** The address to talk to: --url, else $CORRAL_URL, else the local default of `corral up`. */
  String resolvedUrl() {
    if (url != null && !url.isBlank()) {
      return url;
    }
    String fromEnv = env.apply(URL_ENV);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : ApiClient.DEFAULT_URL;
  }

  /** Called by subcommands when they run, i.e. after parsing, so a --url given anywhere is already set. */
  ApiClient client() {
    return ApiClient.create(resolvedUrl());
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
