package dev.corral.dist;

import dev.corral.cli.Cli;
import dev.corral.dist.bench.BenchCommand;
import picocli.CommandLine;

/**
 * The one launcher: the first word picks the role, like `nomad agent -dev`. Server roles (up, master, agent)
 * and benchmarks live here; every other command is the HTTP client from corral-cli.
 */
public final class Main {
  private Main() {}

  public static CommandLine commandLine() {
    CommandLine cli = Cli.commandLine();
    cli.addSubcommand("up", new UpCommand());
    cli.addSubcommand("master", new MasterCommand());
    cli.addSubcommand("agent", new AgentCommand());
    cli.addSubcommand("bench", new BenchCommand());
    return cli;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    // Server commands block until stopped and return from their own shutdown path; clients return at once.
    System.exit(code);
  }
}
