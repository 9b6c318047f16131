package dev.corral.cli;

import dev.corral.cli.app.AppAddCommand;
import dev.corral.cli.app.AppCommand;
import dev.corral.cli.app.AppDebugCommand;
import dev.corral.cli.app.AppListCommand;
import dev.corral.cli.app.AppRemoveCommand;
import dev.corral.cli.app.AppRestartCommand;
import dev.corral.cli.app.AppRollbackCommand;
import dev.corral.cli.app.AppScaleCommand;
import dev.corral.cli.app.AppShowCommand;
import dev.corral.cli.app.AppUpdateCommand;
import dev.corral.cli.app.AppVersionsCommand;
import dev.corral.cli.auth.AuthCommand;
import dev.corral.cli.auth.ClusterCommand;
import dev.corral.cli.auth.PermissionCommand;
import dev.corral.cli.auth.Session;
import dev.corral.cli.auth.UserCommand;
import dev.corral.cli.config.CliConfig;
import dev.corral.cli.config.ClusterContext;
import dev.corral.cli.deployment.DeploymentCommand;
import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.group.GroupCommand;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.AppId;
import dev.corral.cli.http.DeploymentId;
import dev.corral.cli.http.GroupId;
import dev.corral.cli.http.PodId;
import dev.corral.cli.node.NodeCommand;
import dev.corral.cli.job.JobCommand;
import dev.corral.cli.pkg.PackageCommand;
import dev.corral.cli.pod.PodCommand;
import dev.corral.cli.queue.QueueCommand;
import dev.corral.cli.task.TaskCommand;
import dev.corral.cli.task.TaskCatCommand;
import dev.corral.cli.task.TaskExecCommand;
import dev.corral.cli.task.TaskListCommand;
import dev.corral.cli.task.TaskLogCommand;
import dev.corral.cli.task.TaskLsCommand;
import dev.corral.cli.task.TaskMetricsCommand;
import dev.corral.common.Version;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code corral} command line: the HTTP client commands ({@code app}, {@code task}, {@code node}, {@code deployment},
 * {@code group}, {@code pod}, {@code package}). The launcher
 * in corral-dist takes {@link #commandLine()} and adds the server roles ({@code up}, {@code master},
 * {@code agent}) with {@code addSubcommand} before executing it; those inherit {@code --url} as well.
 *
 * <p>Exit codes: 0 success, 1 the command failed (API error, cluster unreachable, unreadable input; one
 * {@code error:} line on stderr), 2 bad usage (picocli's message and usage help).
 */
public final class Cli {
  private Cli() {}

  /**
   * The root command, reading {@code CORRAL_URL} from the process environment and stdin for {@code -};
   * deployment progress is rewritten in place when stdout is a terminal.
   */
  public static CommandLine commandLine() {
    return commandLine(System::getenv, System.in, WatchSettings.of(System.console() != null));
  }

  /**
   * The root command with its environment made explicit, so tests and embedders need not touch the real
   * process environment or stdin.
   *
   * @param env looks up environment variables ({@code CORRAL_URL}); returns null when unset
   * @param stdin what {@code app add -} reads
   */
  public static CommandLine commandLine(Function<String, String> env, InputStream stdin) {
    return commandLine(env, stdin, WatchSettings.of(false));
  }

  /**
   * The root command with everything explicit.
   *
   * @param watch how {@code --wait} and {@code deployment watch} follow deployments (screen kind, pauses)
   */
  public static CommandLine commandLine(Function<String, String> env, InputStream stdin, WatchSettings watch) {
    RootCommand root = new RootCommand(env);
    Supplier<ApiClient> api = root::client;
    Supplier<InputStream> input = () -> stdin;
    CommandLine cli = new CommandLine(root);
    cli.getCommandSpec().version("corral " + Version.get());
    cli.addSubcommand(new CommandLine(new AppCommand())
        .addSubcommand(new AppAddCommand(api, input, watch))
        .addSubcommand(new AppListCommand(api))
        .addSubcommand(new AppShowCommand(api))
        .addSubcommand(new AppDebugCommand(api))
        .addSubcommand(new AppUpdateCommand(api, input, watch))
        .addSubcommand(new AppScaleCommand(api, watch))
        .addSubcommand(new AppRestartCommand(api, watch))
        .addSubcommand(new AppVersionsCommand(api))
        .addSubcommand(new AppRollbackCommand(api, watch))
        .addSubcommand(new AppRemoveCommand(api, watch)));
    cli.addSubcommand(new QueueCommand(api));
    cli.addSubcommand(new CommandLine(new TaskCommand())
        .addSubcommand(new TaskListCommand(api))
        .addSubcommand(new TaskLogCommand(api))
        .addSubcommand(new TaskLsCommand(api))
        .addSubcommand(new TaskCatCommand(api))
        .addSubcommand(new TaskMetricsCommand(api))
        // after TASK every word is the command's, options such as -c included
        .addSubcommand(new CommandLine(new TaskExecCommand(api, input, env)).setStopAtPositional(true)));
    cli.addSubcommand(NodeCommand.commandLine(api));
    cli.addSubcommand(dev.corral.cli.role.RoleCommand.commandLine(api));
    cli.addSubcommand(dev.corral.cli.secret.SecretCommand.commandLine(api, input));
    cli.addSubcommand(dev.corral.cli.role.QuotaCommand.commandLine(api));
    cli.addSubcommand(DeploymentCommand.commandLine(api, watch));
    cli.addSubcommand(GroupCommand.commandLine(api, input, watch));
    cli.addSubcommand(PodCommand.commandLine(api, input, watch));
    cli.addSubcommand(PackageCommand.commandLine(api, input, watch));
    cli.addSubcommand(JobCommand.commandLine(api, input));
    Session session = new Session() {
      @Override
      public ApiClient client() {
        return root.client();
      }

      @Override
      public String url() {
        return root.address();
      }

      @Override
      public java.util.Optional<ClusterContext> context() {
        return root.context();
      }

      @Override
      public CliConfig config() {
        return root.config();
      }

      @Override
      public InputStream stdin() {
        return stdin;
      }
    };
    cli.addSubcommand(AuthCommand.commandLine(session));
    cli.addSubcommand(ClusterCommand.commandLine(session));
    cli.addSubcommand(UserCommand.commandLine(session));
    cli.addSubcommand(PermissionCommand.commandLine(session));
    // Registered after the tree is built: registerConverter applies to the subcommands present now.
    cli.registerConverter(AppId.class, raw -> convert(raw, AppId::parse));
    cli.registerConverter(PodId.class, raw -> convert(raw, PodId::parse));
    cli.registerConverter(GroupId.class, raw -> convert(raw, GroupId::parse));
    cli.registerConverter(DeploymentId.class, raw -> convert(raw, DeploymentId::parse));
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setExecutionStrategy(parsed -> {
      Integer help = CommandLine.executeHelpRequest(parsed);
      if (help != null) {
        return help;
      }
      if (root.json) {
        passJsonOn(parsed);
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  /** {@code corral --json X …}: sets the --json of the command that runs, or says it has none (exit 2). */
  private static void passJsonOn(CommandLine.ParseResult parsed) {
    List<CommandLine> chain = parsed.asCommandLineList();
    CommandLine last = chain.get(chain.size() - 1);
    CommandLine.Model.OptionSpec json = last == chain.get(0) ? null : last.getCommandSpec().findOption("--json");
    if (json == null || json.typeInfo().getType() != boolean.class) {
      throw new CommandLine.ParameterException(last, "'" + last.getCommandSpec().qualifiedName()
          + "' has no JSON output: leave out --json");
    }
    json.setValue(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  // TypeConversionException makes a bad id a usage error (exit 2) with our message, not picocli's generic one.
  private static <T> T convert(String raw, Function<String, T> parse) {
    try {
      return parse.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
