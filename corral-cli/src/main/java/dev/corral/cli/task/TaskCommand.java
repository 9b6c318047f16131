package dev.corral.cli.task;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral task}: the group; its subcommands are added by {@code Cli}. */
@Command(name = "task", description = "Inspect tasks (running instances of apps).", mixinStandardHelpOptions = true)
public final class TaskCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    // A bare group is a usage mistake: exit 2 with the list of subcommands, like any other bad usage.
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
