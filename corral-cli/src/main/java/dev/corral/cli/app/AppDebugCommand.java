package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.AppId;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.Marks;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import dev.corral.cli.queue.QueueEntries;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corral app debug ID}: why an app's instances are not running, as DC/OS's service debug view shows it.
 * The app's queue entry ({@code GET /v2/queue?embed=lastUnusedOffers}): how many instances wait, the delay,
 * the reason; how the last offers fared per reason; one row per agent whose last offer was not used, with a
 * mark per check; and the app's last task failure ({@code GET /v2/apps/ID?embed=apps.lastTaskFailure}).
 */
@Command(name = "debug", description = "Show why an app's instances wait: offer checks per agent, last failure.",
    mixinStandardHelpOptions = true)
public final class AppDebugCommand implements Callable<Integer> {
  /** The table's check columns and the reason that puts a fail mark in each. */
  private static final Map<String, String> CHECKS = orderedChecks();

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The app id, e.g. /group/app.")
  AppId id;

  @Option(names = "--json", description = "Print the app's queue entry as JSON (null when nothing waits).")
  boolean json;

  private final Supplier<ApiClient> api;
  private final Marks marks;

  public AppDebugCommand(Supplier<ApiClient> api) {
    this(api, Marks.forDefaultCharset());
  }

  AppDebugCommand(Supplier<ApiClient> api, Marks marks) {
    this.api = api;
    this.marks = marks;
  }

  @Override
  public Integer call() {
    ApiClient client = api.get();
    // Asked first: an unknown app is the API's 404, not an empty queue.
    JsonNode appBody = client.get(id.apiPath() + "?embed=apps.lastTaskFailure").json();
    JsonNode app = appBody.has("app") ? appBody.path("app") : appBody;
    JsonNode entry = QueueEntries.find(client.get("/v2/queue?embed=lastUnusedOffers").json(), id.path());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, entry == null ? NullNode.getInstance() : entry);
      return 0;
    }
    if (entry == null) {
      header(app, null).print(out);
    } else {
      header(app, entry).print(out);
      out.println();
      out.println("Last offers by reason (one per agent, each counted under its first failed check):");
      reasons(entry).print(out);
      out.println();
      List<JsonNode> offers = new ArrayList<>();
      entry.path("lastUnusedOffers").forEach(offers::add);
      if (offers.isEmpty()) {
        out.println("No unused offers yet.");
      } else {
        out.println("Last unused offer per agent:");
        offers(offers).print(out);
      }
    }
    JsonNode failure = app.path("lastTaskFailure");
    if (failure.isObject()) {
      out.println();
      Table.withColumns(2).row("LAST FAILURE:", AppShowCommand.failure(failure)).print(out);
    }
    out.flush();
    return 0;
  }

  private static Table header(JsonNode app, JsonNode entry) {
    Table t = Table.withColumns(2);
    t.row("APP:", id(app, entry));
    if (entry == null) {
      t.row("WAITING:", "0 (no instance is waiting for an offer)");
      return t;
    }
    t.row("WAITING:", Cells.number(entry.path("count")) + " since " + Cells.text(entry.path("since")));
    t.row("DELAY:", QueueEntries.delay(entry));
    t.row("REASON:", QueueEntries.reason(entry));
    JsonNode summary = entry.path("processedOffersSummary");
    t.row("OFFERS:", summary.path("processedOffersCount").asLong() + " processed, "
        + summary.path("unusedOffersCount").asLong() + " unused (last unused " + Cells.text(summary.path("lastUnusedOfferAt"))
        + ", last used " + Cells.text(summary.path("lastUsedOfferAt")) + ")");
    return t;
  }

  private static String id(JsonNode app, JsonNode entry) {
    return app.hasNonNull("id") ? app.path("id").asText() : QueueEntries.id(entry);
  }

  private static Table reasons(JsonNode entry) {
    Table t = Table.withHeaders("REASON", "DECLINED", "PROCESSED");
    for (JsonNode row : entry.path("processedOffersSummary").path("rejectSummaryLastOffers")) {
      t.row(Cells.text(row.path("reason")), Cells.number(row.path("declined")), Cells.number(row.path("processed")));
    }
    return t;
  }

  /** One row per agent; an OTHER column appears when some offer failed a check outside the fixed columns. */
  private Table offers(List<JsonNode> offers) {
    offers.sort(Comparator.comparing((JsonNode o) -> o.path("offer").path("hostname").asText())
        .thenComparing(o -> o.path("timestamp").asText()));
    boolean other = false;
    for (JsonNode o : offers) {
      other |= !others(o).isEmpty();
    }
    List<String> headers = new ArrayList<>(List.of("HOST"));
    headers.addAll(CHECKS.keySet());
    headers.add("RECEIVED");
    if (other) {
      headers.add("OTHER");
    }
    Table t = Table.withHeaders(headers.toArray(String[]::new));
    for (JsonNode o : offers) {
      Set<String> failed = reasonsOf(o);
      List<String> row = new ArrayList<>(List.of(Cells.text(o.path("offer").path("hostname"))));
      CHECKS.values().forEach(reason -> row.add(marks.of(!failed.contains(reason))));
      row.add(Cells.text(o.path("timestamp")));
      if (other) {
        List<String> rest = others(o);
        row.add(rest.isEmpty() ? Cells.NONE : String.join(",", rest));
      }
      t.row(row.toArray(String[]::new));
    }
    return t;
  }

  private static Set<String> reasonsOf(JsonNode offer) {
    Set<String> out = new HashSet<>();
    offer.path("reason").forEach(r -> out.add(r.asText()));
    return out;
  }

  private static List<String> others(JsonNode offer) {
    Set<String> rest = new LinkedHashSet<>();
    offer.path("reason").forEach(r -> rest.add(r.asText()));
    rest.removeAll(CHECKS.values());
    return List.copyOf(rest);
  }

  private static Map<String, String> orderedChecks() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ROLE", "UnfulfilledRole");
    m.put("CONSTRAINT", "UnfulfilledConstraint");
    m.put("CPU", "InsufficientCpus");
    m.put("MEM", "InsufficientMemory");
    m.put("DISK", "InsufficientDisk");
    m.put("PORT", "InsufficientPorts");
    return Collections.unmodifiableMap(m);
  }
}
