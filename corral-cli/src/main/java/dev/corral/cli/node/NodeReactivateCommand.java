package dev.corral.cli.node;

import dev.corral.cli.http.ApiClient;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral node reactivate ID}: Offer the node again (ends a drain or a deactivation). */
@Command(name = "reactivate", description = "Offer the node again (ends a drain or a deactivation).", mixinStandardHelpOptions = true)
public final class NodeReactivateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The node's (agent's) id, as corral node list shows it.")
  String id;

  @Option(names = "--json", description = "Print the node as JSON.")
  boolean json;

  private final Supplier<ApiClient> api;

  public NodeReactivateCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    return NodeModeCommand.run(api, spec.commandLine().getOut(), id, "reactivate", "{}", json);
  }
}
