package dev.corral.cli.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.DeploymentId;
import dev.corral.cli.output.HintedException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral deployment watch [ID]}: follows a deployment until it is over; exit 0 when it finished, 1 when
 * it failed. Without an id it follows the one deployment in progress.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Follow a deployment until it finishes, one progress line per step.",
        "Exits 0 when it finished, 1 when it failed."})
public final class DeploymentWatchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", arity = "0..1",
      description = "The deployment id; may be left out while only one deployment is in progress.")
  DeploymentId id;

  private final Supplier<ApiClient> api;
  private final WatchSettings watch;

  public DeploymentWatchCommand(Supplier<ApiClient> api, WatchSettings watch) {
    this.api = api;
    this.watch = watch;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    PrintWriter out = spec.commandLine().getOut();
    if (id != null) {
      new DeploymentWatcher(client, watch, out, false).follow(id.value(), false);
      return 0;
    }
    List<String> running = new ArrayList<>();
    for (JsonNode deployment : client.get(Deployments.LIST_PATH).json()) {
      running.add(deployment.path("id").asText());
    }
    if (running.isEmpty()) {
      out.println("No deployments in progress.");
      out.flush();
      return 0;
    }
    if (running.size() > 1) {
      List<String> hints = new ArrayList<>();
      running.forEach(d -> hints.add("corral deployment watch " + d));
      throw new HintedException(running.size() + " deployments are in progress; name the one to watch", hints);
    }
    // Just listed, so it was started: if it is gone by the time the watch looks, it finished.
    new DeploymentWatcher(client, watch, out, false).follow(running.get(0), true);
    return 0;
  }
}
