package dev.corral.cli.pkg;

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

/** {@code corral package}: the package catalog (the Cosmos API): search, describe, install, list, uninstall. */
@Command(name = "package", description = "Find, install and remove data services from the package catalog.",
    mixinStandardHelpOptions = true)
public final class PackageCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The command with its subcommands, ready for the root command's {@code addSubcommand}. */
  public static CommandLine commandLine(Supplier<ApiClient> api, Supplier<InputStream> stdin, WatchSettings watch) {
    return new CommandLine(new PackageCommand())
        .addSubcommand(new PackageSearchCommand(api))
        .addSubcommand(new PackageDescribeCommand(api))
        .addSubcommand(new PackageInstallCommand(api, stdin, watch))
        .addSubcommand(new PackageListCommand(api))
        .addSubcommand(new PackageUninstallCommand(api, stdin))
        .addSubcommand(new PackageRenderCommand(api, stdin))
        .addSubcommand(new CommandLine(new PackageRepoCommand())
            .addSubcommand(new PackageRepoCommand.List(api))
            .addSubcommand(new PackageRepoCommand.Add(api))
            .addSubcommand(new PackageRepoCommand.Remove(api)));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
