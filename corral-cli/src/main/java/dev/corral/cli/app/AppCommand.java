package dev.corral.cli.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral app}: the group; its subcommands are added by {@code Cli}. */
@Command(name = "app", description = "Manage apps (long-running services, Marathon API v2).",
    mixinStandardHelpOptions = true)
public final class AppCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    // A bare group is a usage mistake: exit 2 with the list of subcommands, like any other bad usage.
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
