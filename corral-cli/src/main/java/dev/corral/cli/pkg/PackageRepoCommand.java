package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corral package repo list|add|remove}: the repositories the catalog reads, in lookup order. */
@Command(name = "repo", description = "Manage package repositories (looked up in order; the first that has a name wins).",
    mixinStandardHelpOptions = true)
final class PackageRepoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static int print(CommandSpec spec, JsonNode body, boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    Table table = Table.withHeaders("#", "NAME", "URI");
    int i = 0;
    for (JsonNode r : body.path("repositories")) {
      table.row(String.valueOf(i++), r.path("name").asText(), r.path("uri").asText());
    }
    table.print(out);
    return 0;
  }

  @Command(name = "list", description = "List repositories.", mixinStandardHelpOptions = true)
  static final class List implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Supplier<ApiClient> api;

    List(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      return print(spec, Cosmos.call(api.get(), "repository/list", Cosmos.request()), json);
    }
  }

  @Command(name = "add", description = "Add a repository: a Universe JSON repository URL, or a file:// package tree.",
      mixinStandardHelpOptions = true)
  static final class Add implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "A name for it.")
    String name;

    @Parameters(index = "1", paramLabel = "URI", description = "http(s):// or file:// location.")
    String uri;

    @Option(names = "--index", description = "Position in the lookup order (0 = first; default: last).")
    Integer index;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Supplier<ApiClient> api;

    Add(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      ObjectNode request = Cosmos.request().put("name", name).put("uri", uri);
      if (index != null) {
        request.put("index", index);
      }
      return print(spec, Cosmos.call(api.get(), "repository/add", request), json);
    }
  }

  @Command(name = "remove", description = "Remove a repository by name.", mixinStandardHelpOptions = true)
  static final class Remove implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The repository's name.")
    String name;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    private final Supplier<ApiClient> api;

    Remove(Supplier<ApiClient> api) {
      this.api = api;
    }

    @Override
    public Integer call() {
      return print(spec, Cosmos.call(api.get(), "repository/delete", Cosmos.request().put("name", name)), json);
    }
  }
}
