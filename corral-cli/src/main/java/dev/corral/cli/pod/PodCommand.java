package dev.corral.cli.pod;

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

/** {@code corral pod}: the group of commands on pods (containers launched and scaled together). */
@Command(name = "pod", description = "Manage pods (containers that are placed, started and scaled together).",
    mixinStandardHelpOptions = true)
public final class PodCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The group with its subcommands, ready for the root command's {@code addSubcommand}. */
  public static CommandLine commandLine(Supplier<ApiClient> api, Supplier<InputStream> stdin,
      WatchSettings watch) {
    return new CommandLine(new PodCommand())
        .addSubcommand(new PodAddCommand(api, stdin, watch))
        .addSubcommand(new PodListCommand(api))
        .addSubcommand(new PodShowCommand(api))
        .addSubcommand(new PodStatusCommand(api))
        .addSubcommand(new PodUpdateCommand(api, stdin, watch))
        .addSubcommand(new PodRemoveCommand(api, watch));
  }

  @Override
  public Integer call() {
    // A bare group is a usage mistake: exit 2 with the list of subcommands, like any other bad usage.
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
