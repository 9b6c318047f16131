package dev.corral.cli.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.PodId;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.PrettyJson;
import dev.corral.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corral pod show ID}: a pod's definition in short ({@code GET /v2/pods/{id}}): instances and containers. */
@Command(name = "show", description = "Show a pod's definition: instances and containers (--json for all of it).",
    mixinStandardHelpOptions = true)
public final class PodShowCommand implements Callable<Integer> {
  /** Wide enough to recognize a command, narrow enough to keep a row on one 120-column line. */
  static final int RUNS_WIDTH = 50;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The pod id, e.g. /group/pod.")
  PodId id;

  @Option(names = "--json", description = "Print the API's JSON instead of a summary.")
  boolean json;

  private final Supplier<ApiClient> api;

  public PodShowCommand(Supplier<ApiClient> api) {
    this.api = api;
  }

  @Override
  public Integer call() {
    JsonNode pod = api.get().get(id.apiPath()).json();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      PrettyJson.print(out, pod);
      return 0;
    }
    Table fields = Table.withColumns(2)
        .row("ID:", Cells.text(pod.path("id")))
        .row("INSTANCES:", PodTable.desired(pod))
        .row("VERSION:", Cells.text(pod.path("version")));
    if (pod.path("labels").size() > 0) {
      fields.row("LABELS:", labels(pod.path("labels")));
    }
    fields.print(out);
    out.println();
    out.println("Containers:");
    Table containers = Table.withHeaders("NAME", "CPUS", "MEM", "DISK", "RUNS");
    for (JsonNode container : pod.path("containers")) {
      JsonNode resources = container.path("resources");
      containers.row(Cells.text(container.path("name")), Cells.number(resources.path("cpus")),
          Cells.number(resources.path("mem")), Cells.number(resources.path("disk")),
          Cells.truncate(runs(container), RUNS_WIDTH));
    }
    containers.print(out);
    return 0;
  }

  /** The image and/or the shell command: {@code image nginx:1.27: sleep 100}. */
  static String runs(JsonNode container) {
    List<String> parts = new ArrayList<>();
    JsonNode image = container.path("image").path("id");
    if (image.isTextual()) {
      parts.add("image " + image.asText());
    }
    JsonNode command = container.path("exec").path("command");
    if (command.path("shell").isTextual()) {
      parts.add(command.path("shell").asText());
    } else if (command.path("argv").isArray()) {
      parts.add(Cells.join(command.path("argv"), " "));
    }
    return parts.isEmpty() ? Cells.NONE : String.join(": ", parts);
  }

  private static String labels(JsonNode labels) {
    Map<String, String> sorted = new TreeMap<>();
    labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }
}
