package dev.corral.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corral queue}: {@code GET /v2/queue}, the apps with instances waiting for an offer and why. */
@Command(name = "queue", description = "List apps with instances waiting for resources, and why they wait.",
    mixinStandardHelpOptions = true)
public final class QueueCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Supplier<ApiClient> api;

  public QueueCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode body = api.get().get("/v2/queue").json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, body);
      return 0;
    }
    Table table = Table.withHeaders("APP", "WAITING", "DELAY", "SINCE", "REASON");
    for (JsonNode entry : QueueEntries.sorted(body)) {
      table.row(QueueEntries.id(entry), Cells.number(entry.path("count")), QueueEntries.delay(entry),
          Cells.text(entry.path("since")), QueueEntries.reason(entry));
    }
    table.print(out);
    return 0;
  }
}
