package dev.corral.cli.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.common.Json;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral quota list|set|remove}: roles' quota ({@code /master/quota}). */
@Command(name = "quota", description = "Roles' quota: a guarantee offered first, a limit never passed.",
    mixinStandardHelpOptions = true)
public final class QuotaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static CommandLine commandLine(Supplier<ApiClient> api) {
    return new CommandLine(new QuotaCommand()).addSubcommand(new ListQuota(api)).addSubcommand(new SetQuota(api))
        .addSubcommand(new RemoveQuota(api));
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  private static void printOne(PrintWriter out, JsonNode q, boolean json) {
    if (json) {
      PrettyJson.print(out, q);
    } else {
      out.printf("Role %s: guarantee %s, limit %s%n", q.path("role").asText(), Amounts.text(q.path("guarantee")),
          Amounts.text(q.path("limit")));
    }
  }

  @Command(name = "list", description = "List the roles with quota.", mixinStandardHelpOptions = true)
  static final class ListQuota implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    private final Supplier<ApiClient> api;

    ListQuota(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      JsonNode body = api.get().get("/master/quota").json();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        PrettyJson.print(out, body);
        return 0;
      }
      Table table = Table.withHeaders("ROLE", "GUARANTEE", "LIMIT");
      for (JsonNode q : body.path("infos")) {
        table.row(q.path("role").asText(), Amounts.text(q.path("guarantee")), Amounts.text(q.path("limit")));
      }
      table.print(out);
      return 0;
    }
  }

  @Command(name = "set", description = "Set a role's quota, e.g. quota set ads --guarantee cpus:2,mem:1024"
      + " --limit cpus:4.", mixinStandardHelpOptions = true)
  static final class SetQuota implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROLE")
    String role;

    @Option(names = "--guarantee", paramLabel = "KIND:AMOUNT,…",
        description = "Offered to the role first until it holds this much (cpus, mem, disk, gpus).")
    String guarantee;

    @Option(names = "--limit", paramLabel = "KIND:AMOUNT,…",
        description = "Never allocated beyond this (kinds left out are unlimited).")
    String limit;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Supplier<ApiClient> api;

    SetQuota(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() throws Exception {
      if (guarantee == null && limit == null) {
        throw new ParameterException(spec.commandLine(), "give --guarantee, --limit or both");
      }
      ObjectNode body = Json.mapper().createObjectNode().put("role", role);
      try {
        if (guarantee != null) {
          body.set("guarantee", Json.mapper().readTree(Amounts.json("--guarantee", guarantee)));
        }
        if (limit != null) {
          body.set("limit", Json.mapper().readTree(Amounts.json("--limit", limit)));
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      printOne(spec.commandLine().getOut(), api.get().post("/master/quota", body.toString()).json(), json);
      return 0;
    }
  }

  @Command(name = "remove", description = "Remove a role's quota (its weight stays).", mixinStandardHelpOptions = true)
  static final class RemoveQuota implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROLE")
    String role;

    private final Supplier<ApiClient> api;

    RemoveQuota(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      api.get().delete("/master/quota/" + URLEncoder.encode(role, StandardCharsets.UTF_8));
      spec.commandLine().getOut().printf("Removed the quota of role %s%n", role);
      return 0;
    }
  }
}
