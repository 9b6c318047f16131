package dev.corral.cli.group;

import dev.corral.cli.deployment.WatchSettings;
import dev.corral.cli.http.ApiClient;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral group}: the group of commands on Marathon groups (trees of apps and pods). */
@Command(name = "group", description = "Manage groups (trees of apps and pods deployed together).",
    mixinStandardHelpOptions = true)
public final class GroupCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The group with its subcommands, ready for the root command's {@code addSubcommand}. */
  public static CommandLine commandLine(Supplier<ApiClient> api, Supplier<InputStream> stdin,
      WatchSettings watch) {
    return new CommandLine(new GroupCommand())
        .addSubcommand(new GroupListCommand(api))
        .addSubcommand(new GroupShowCommand(api))
        .addSubcommand(new GroupAddCommand(api, stdin, watch))
        .addSubcommand(new GroupUpdateCommand(api, stdin, watch))
        .addSubcommand(new GroupScaleCommand(api, watch))
        .addSubcommand(new GroupRemoveCommand(api, watch));
  }

  @Override
  public Integer call() {
    // A bare group is a usage mistake: exit 2 with the list of subcommands, like any other bad usage.
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
