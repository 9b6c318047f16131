package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Marathon task objects ({@code id, appId, host, ports, state, startedAt}) as a table. Shared by
 * {@code task list} and {@code app show}; the latter leaves out the APP column, which would repeat one value.
 */
public final class TaskTable {
  private TaskTable() {}

  /** Rows sorted by app then task id, so repeated runs line up for a diff. */
  public static Table of(JsonNode tasks, boolean withApp) {
    List<JsonNode> sorted = new ArrayList<>();
    tasks.forEach(sorted::add);
    sorted.sort(Comparator.comparing((JsonNode t) -> t.path("appId").asText())
        .thenComparing(t -> t.path("id").asText()));
    Table table = withApp
        ? Table.withHeaders("TASK ID", "APP", "HOST", "STATE", "PORTS", "STARTED")
        : Table.withHeaders("TASK ID", "HOST", "STATE", "PORTS", "STARTED");
    for (JsonNode task : sorted) {
      String id = Cells.text(task.path("id"));
      String host = Cells.text(task.path("host"));
      // Marathon before 1.4 sent no state; "-" is more honest than guessing from startedAt.
      String state = Cells.text(task.path("state"));
      String ports = Cells.join(task.path("ports"), ",");
      String started = Cells.text(task.path("startedAt"));
      if (withApp) {
        table.row(id, Cells.text(task.path("appId")), host, state, ports, started);
      } else {
        table.row(id, host, state, ports, started);
      }
    }
    return table;
  }
}
