package dev.corral.cli.node;

import dev.corral.cli.http.ApiClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral node drain ID [--grace 60s]}: stop offering the node and move its service instances
 * elsewhere (by each app's upgrade strategy); what is still there after the grace period is killed. The node
 * ends DRAINED.
 */
@Command(name = "drain", description = "Move the node's work elsewhere and stop offering it; it ends drained.",
    mixinStandardHelpOptions = true)
public final class NodeDrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The node's (agent's) id, as corral node list shows it.")
  String id;

  @Option(names = "--grace", paramLabel = "DURATION",
      description = "Kill what still runs there after this long, e.g. 60s or 5m (default: wait for the schedulers).")
  String grace;

  @Option(names = "--json", description = "Print the node as JSON.")
  boolean json;

  private final Supplier<ApiClient> api;

  public NodeDrainCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    String body = "{}";
    if (grace != null) {
      Duration d = parse(grace);
      body = "{\"gracePeriodSeconds\":" + (d.toMillis() / 1000.0) + "}";
    }
    return NodeModeCommand.run(api, spec.commandLine().getOut(), id, "drain", body, json);
  }

  private Duration parse(String text) {
    String t = text.strip();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      char unit = t.charAt(t.length() - 1);
      double n = Character.isDigit(unit) ? Double.parseDouble(t) : Double.parseDouble(t.substring(0, t.length() - 1));
      long millis = switch (unit) {
        case 'm' -> Math.round(n * 60_000);
        case 'h' -> Math.round(n * 3_600_000);
        default -> Math.round(n * 1000);
      };
      if (millis < 0 || (!Character.isDigit(unit) && unit != 's' && unit != 'm' && unit != 'h')) {
        throw new NumberFormatException(text);
      }
      return Duration.ofMillis(millis);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--grace: not a duration (e.g. 60s, 5m): " + text);
    }
  }
}
