package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.output.Cells;
import dev.corral.cli.output.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Marathon app objects as a table: id, running/requested instances, resources and what runs. Shared by
 * {@code app list} and {@code group show}.
 */
public final class AppTable {
  /** Wide enough to recognize a command, narrow enough to keep a row on one 120-column line. */
  static final int CMD_WIDTH = 40;

  private AppTable() {}

  /** Rows sorted by id, so repeated runs line up for a diff. */
  public static Table of(JsonNode apps) {
    List<JsonNode> sorted = new ArrayList<>();
    apps.forEach(sorted::add);
    sorted.sort(Comparator.comparing(a -> a.path("id").asText()));
    Table table = Table.withHeaders("ID", "INSTANCES", "CPUS", "MEM", "DISK", "CMD");
    for (JsonNode app : sorted) {
      table.row(
          Cells.text(app.path("id")),
          instances(app),
          Cells.number(app.path("cpus")),
          Cells.number(app.path("mem")),
          Cells.number(app.path("disk")),
          Cells.truncate(command(app), CMD_WIDTH));
    }
    return table;
  }

  /** {@code running/requested}; a server that ignores {@code embed=apps.counts} gives {@code -/requested}. */
  static String instances(JsonNode app) {
    JsonNode running = app.path("tasksRunning");
    return (running.isNumber() ? running.asText() : Cells.NONE) + "/" + Cells.number(app.path("instances"));
  }

  /** What the app runs: its cmd, else its args, else its container image (Docker apps often have no cmd). */
  static String command(JsonNode app) {
    if (app.hasNonNull("cmd") && !app.path("cmd").asText().isBlank()) {
      return app.path("cmd").asText();
    }
    if (app.path("args").isArray() && app.path("args").size() > 0) {
      return Cells.join(app.path("args"), " ");
    }
    JsonNode container = app.path("container");
    JsonNode image = container.path("docker").path("image");
    if (image.isMissingNode()) {
      image = container.path("appc").path("image");
    }
    return image.isTextual() ? "image " + image.asText() : Cells.NONE;
  }
}
