package dev.corral.cli.role;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral role list|weight}: the allocator's roles ({@code /master/roles}, {@code /master/weights}). */
@Command(name = "role", description = "Roles: their weights, quota and what they hold.", mixinStandardHelpOptions = true)
public final class RoleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static CommandLine commandLine(Supplier<ApiClient> api) {
    return new CommandLine(new RoleCommand()).addSubcommand(new ListRoles(api)).addSubcommand(new Weight(api));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  @Command(name = "list", description = "List roles: weight, frameworks, allocated, quota.", mixinStandardHelpOptions = true)
  static final class ListRoles implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    private final Supplier<ApiClient> api;

    ListRoles(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      JsonNode body = api.get().get("/master/roles").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, body);
        return 0;
      }
      Table table = Table.withHeaders("ROLE", "WEIGHT", "FRAMEWORKS", "ALLOCATED", "GUARANTEE", "LIMIT");
      for (JsonNode r : body.path("roles")) {
        table.row(r.path("name").asText(), Amounts.number(r.path("weight").asDouble(1)),
            Integer.toString(r.path("frameworks").asInt()), Amounts.text(r.path("allocated")),
            Amounts.text(r.path("quota").path("guarantee")), Amounts.text(r.path("quota").path("limit")));
      }
      table.print(out);
      return 0;
    }
  }

  @Command(name = "weight", description = "Set a role's weight (default 1): a role of weight 2 is offered as if it"
      + " held half as much.", mixinStandardHelpOptions = true)
  static final class Weight implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROLE")
    String role;

    @Parameters(index = "1", paramLabel = "WEIGHT")
    double weight;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Supplier<ApiClient> api;

    Weight(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      if (!(weight > 0)) {
        throw new ParameterException(spec.commandLine(), "WEIGHT: must be a positive number");
      }
      String body = "[{\"role\":" + dev.corral.common.Json.mapper().valueToTree(role) + ",\"weight\":"
          + weight + "}]";
      JsonNode answer = api.get().put("/master/weights", body).json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, answer);
      } else {
        out.printf(Locale.ROOT, "Role %s has weight %s%n", role, Amounts.number(weight));
      }
      return 0;
    }
  }
}
