package dev.corral.cli.group;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.GroupId;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corral group list}: the group tree from {@code GET /v2/groups}, one group per line, indented by depth,
 * with the number of apps and pods directly in each.
 */
@Command(name = "list", description = "Show the tree of groups with their numbers of apps and pods.",
    mixinStandardHelpOptions = true)
public final class GroupListCommand implements Callable<Integer> {
  private static final String INDENT = "  ";

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON (the root group) instead of a tree.")
  boolean json;

  private final Supplier<ApiClient> api;

  public GroupListCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode root = api.get().get(Groups.path(GroupId.ROOT, Groups.EMBED)).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, root);
      return 0;
    }
    Table table = Table.withHeaders("GROUP", "APPS", "PODS");
    addTree(table, root, 0);
    table.print(out);
    return 0;
  }

  // Depth-first, children sorted by id. Group trees are shallow (a handful of levels), so recursion is fine.
  private static void addTree(Table table, JsonNode group, int depth) {
    table.row(INDENT.repeat(depth) + Cells.text(group.path("id")),
        Groups.count(group.path("apps")), Groups.count(group.path("pods")));
    List<JsonNode> children = new ArrayList<>();
    group.path("groups").forEach(children::add);
    children.sort(Comparator.comparing(g -> g.path("id").asText()));
    for (JsonNode child : children) {
      addTree(table, child, depth + 1);
    }
  }
}
