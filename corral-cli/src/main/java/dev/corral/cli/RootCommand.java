package dev.corral.cli;

import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import dev.corral.cli.http.ApiClient;
import java.util.Optional;
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
  static final String TOKEN_ENV = "CORRAL_TOKEN";

  @Spec
  CommandSpec spec;

  // INHERIT copies the option to every subcommand, but the copies keep this field as their target, so
  // `corral --url X app list` and `corral app list --url X` both end up here.
  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = {"The cluster's API address.", "Default: $" + URL_ENV + ", else the current context's (written by"
          + " corral up and corral auth login), else " + ApiClient.DEFAULT_URL + "."})
  String url;

  // Local: each subcommand that prints JSON has its own --json; this one, given before the subcommand, is
  // handed to it (Cli#passJsonOn), so `corral --json app list` works as kubectl-style users type it.
  @Option(names = "--json", scope = ScopeType.LOCAL,
      description = "Print the subcommand's JSON instead of a table (the same as its own --json).")
  boolean json;

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

  /**
   * Called by subcommands when they run, i.e. after parsing, so a --url given anywhere is already set. The
   * token and CA come from $CORRAL_TOKEN, else the context of that address (written by {@code corral up} or
   * {@code corral auth login}); with neither --url nor $CORRAL_URL, the current context's address is used.
   */
  ApiClient client() {
    Optional<ClusterContext> context = context();
    String address = address();
    String token = env.apply(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      token = context.map(ClusterContext::token).orElse(null);
    }
    return ApiClient.create(address, token, context.map(ClusterContext::ca).orElse(null));
  }

  /** The address in use: --url, $CORRAL_URL, the current context's, else the default. */
  String address() {
    Optional<ClusterContext> context = context();
    return context.isPresent() && !explicitUrl() ? context.get().url() : resolvedUrl();
  }

  /** The configuration directory's context for the address in use (see {@link #client}). */
  Optional<ClusterContext> context() {
    CliConfig config = config();
    return explicitUrl() ? config.forUrl(resolvedUrl()) : config.current().or(() -> config.forUrl(resolvedUrl()));
  }

  CliConfig config() {
    return CliConfig.fromEnvironment(env);
  }

  private boolean explicitUrl() {
    String fromEnv = env.apply(URL_ENV);
    return (url != null && !url.isBlank()) || (fromEnv != null && !fromEnv.isBlank());
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
