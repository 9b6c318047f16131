package dev.corral.cli.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiResponse;
import dev.corral.cli.output.PrettyJson;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --wait} for every command that starts a deployment (a picocli mixin), and the
 * confirmation those commands print.
 */
public final class WriteOptions {
  @Option(names = "--json", description = "Print the API's JSON answer instead of a sentence.")
  boolean json;

  @Option(names = "--wait",
      description = "Wait for the deployment to finish, showing its progress; exit 1 if it fails.")
  boolean waitForDeployment;

  /** {@code sentence (deployment ID)}, see {@link #report(CommandSpec, ApiClient, WatchSettings, ApiResponse, Function)}. */
  public int report(CommandSpec spec, ApiClient api, WatchSettings watch, ApiResponse response, String sentence) {
    return report(spec, api, watch, response,
        deployment -> sentence + deployment.map(d -> " (deployment " + d + ")").orElse(""));
  }

  /**
   * Prints what a write started, then with {@code --wait} follows its deployment.
   *
   * <p>With {@code --json} the server's answer is printed instead of the sentence; an answer without a body
   * (a 202 to DELETE) prints as {@code {"deploymentId": ...}} from the {@code Marathon-Deployment-Id} header,
   * so that scripts always get JSON.
   *
   * @param sentence the confirmation, given the deployment id if the server named one
   * @return the exit code
   * @throws DeploymentFailedException when waiting and the deployment failed
   */
  public int report(CommandSpec spec, ApiClient api, WatchSettings watch, ApiResponse response,
      Function<Optional<String>, String> sentence) {
    JsonNode body = response.json();
    Optional<String> deployment = DeploymentIds.of(response, body);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body.isMissingNode() ? headerOnly(deployment) : body);
    } else {
      out.println(sentence.apply(deployment));
      out.flush();
    }
    if (!waitForDeployment) {
      return 0;
    }
    if (deployment.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("note: the server named no deployment for this change, so there is nothing to wait for");
      err.flush();
      return 0;
    }
    new DeploymentWatcher(api, watch, out, json).follow(deployment.get(), true);
    return 0;
  }

  private static JsonNode headerOnly(Optional<String> deployment) {
    ObjectNode node = Json.mapper().createObjectNode();
    deployment.ifPresent(d -> node.put("deploymentId", d));
    return node;
  }
}
