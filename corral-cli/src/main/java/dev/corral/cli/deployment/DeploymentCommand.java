package dev.corral.cli.deployment;

import dev.corral.cli.http.ApiClient;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral deployment}: the group of commands on running deployments. */
@Command(name = "deployment", description = "Watch, roll back and stop deployments (changes in progress).",
    mixinStandardHelpOptions = true)
public final class DeploymentCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The group with its subcommands, ready for the root command's {@code addSubcommand}. */
  public static CommandLine commandLine(Supplier<ApiClient> api, WatchSettings watch) {
    return new CommandLine(new DeploymentCommand())
        .addSubcommand(new DeploymentListCommand(api))
        .addSubcommand(new DeploymentWatchCommand(api, watch))
        .addSubcommand(new DeploymentRollbackCommand(api, watch))
        .addSubcommand(new DeploymentStopCommand(api));
  }

  @Override
  public Integer call() {
    // A bare group is a usage mistake: exit 2 with the list of subcommands, like any other bad usage.
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
