package dev.corral.cli.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiException;
import dev.corral.cli.output.PrettyJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corral pod list}: every pod with its status, from {@code GET /v2/pods/::status}. A server without
 * that route (404) is asked for the definitions instead ({@code GET /v2/pods}), which lack the status.
 */
@Command(name = "list", description = "List pods with their instances, status and containers.",
    mixinStandardHelpOptions = true)
public final class PodListCommand implements Callable<Integer> {
  static final String STATUS_PATH = "/v2/pods/::status";
  static final String PODS_PATH = "/v2/pods";

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public PodListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    PrintWriter out = spec.commandLine().getOut();
    JsonNode statuses;
    try {
      statuses = client.get(STATUS_PATH).json();
    } catch (ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
      JsonNode pods = client.get(PODS_PATH).json();
      if (json) {
        PrettyJson.print(out, pods);
      } else {
        PodTable.ofSpecs(pods).print(out);
      }
      return 0;
    }
    if (json) {
      PrettyJson.print(out, statuses);
    } else {
      PodTable.ofStatuses(statuses).print(out);
    }
    return 0;
  }
}
