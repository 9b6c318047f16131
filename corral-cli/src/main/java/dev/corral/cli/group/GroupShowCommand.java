package dev.corral.cli.group;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.app.AppTable;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.GroupId;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.cli.pod.PodTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral group show ID}: one group: its version, dependencies, child groups, apps and pods. */
@Command(name = "show", description = "Show one group: its child groups, apps and pods.",
    mixinStandardHelpOptions = true)
public final class GroupShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The group id, e.g. /prod or / for the root.")
  GroupId id;

  @Option(names = "--json", description = "Print the API's JSON instead of a summary.")
  boolean json;

  private final Supplier<ApiClient> api;

  public GroupShowCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode group = api.get().get(Groups.path(id, Groups.EMBED_WITH_COUNTS)).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, group);
      return 0;
    }
    List<String> children = new ArrayList<>();
    group.path("groups").forEach(g -> children.add(g.path("id").asText()));
    children.sort(null);
    Table fields = Table.withColumns(2)
        .row("ID:", Cells.text(group.path("id")))
        .row("VERSION:", Cells.text(group.path("version")))
        .row("DEPENDENCIES:", Cells.join(group.path("dependencies"), ", "))
        .row("GROUPS:", children.isEmpty() ? Cells.NONE : String.join(", ", children));
    fields.print(out);
    JsonNode apps = group.path("apps");
    JsonNode pods = group.path("pods");
    if (apps.size() > 0) {
      out.println();
      out.println("Apps:");
      AppTable.of(apps).print(out);
    }
    if (pods.size() > 0) {
      out.println();
      out.println("Pods:");
      PodTable.ofSpecs(pods).print(out);
    }
    if (apps.size() == 0 && pods.size() == 0) {
      out.println();
      out.println("No apps or pods directly in this group.");
    }
    out.flush();
    return 0;
  }
}
