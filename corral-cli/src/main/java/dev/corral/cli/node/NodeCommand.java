package dev.corral.cli.node;

import dev.corral.cli.http.ApiClient;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral node}: the group of the agents' commands. */
@Command(name = "node", description = "Inspect and maintain the cluster's nodes (agents).", mixinStandardHelpOptions = true)
public final class NodeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The group with its subcommands. */
  public static CommandLine commandLine(Supplier<ApiClient> api) {
    return new CommandLine(new NodeCommand())
        .addSubcommand(new NodeListCommand(api))
        .addSubcommand(new NodeMetricsCommand(api))
        .addSubcommand(new NodeDrainCommand(api))
        .addSubcommand(new NodeDeactivateCommand(api))
        .addSubcommand(new NodeReactivateCommand(api));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
