package dev.corral.cli.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.DeploymentId;
import dev.corral.cli.output.PrettyJson;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral deployment stop ID}: {@code DELETE /v2/deployments/{id}?force=true}. The deployment is
 * cancelled where it stands and nothing is reverted, which can leave a mix of old and new tasks.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Cancel a deployment where it stands, without reverting anything.",
        "Tasks of old and new versions may be left running side by side; 'rollback' is the safe way out."})
public final class DeploymentStopCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The deployment id (see 'corral deployment list').")
  DeploymentId id;

  @Option(names = "--json", description = "Print the API's JSON answer (usually empty: {}) instead of a sentence.")
  boolean json;

  private final Supplier<ApiClient> api;

  public DeploymentStopCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = api.get().delete(id.apiPath() + "?force=true").json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body.isMissingNode() ? Json.mapper().createObjectNode() : body);
      return 0;
    }
    out.println("Stopped deployment " + id + " (nothing was reverted)");
    out.flush();
    return 0;
  }
}
