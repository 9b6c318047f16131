package dev.corral.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.output.Cells;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads Marathon's launch-queue entries ({@code GET /v2/queue}): the app's id, its delay and why it waits.
 * Works against Corral, which adds a one-line {@code waitingReason}, and against plain Marathon, where the
 * reason is taken from the offer statistics.
 */
public final class QueueEntries {
  private QueueEntries() {}

  /** The entries sorted by app (or pod) id. */
  public static List<JsonNode> sorted(JsonNode queue) {
    List<JsonNode> entries = new ArrayList<>();
    queue.path("queue").forEach(entries::add);
    entries.sort(Comparator.comparing(QueueEntries::id));
    return entries;
  }

  /** The entry of {@code id}, or null when nothing of it waits. */
  public static JsonNode find(JsonNode queue, String id) {
    for (JsonNode entry : queue.path("queue")) {
      if (id(entry).equals(id)) {
        return entry;
      }
    }
    return null;
  }

  public static String id(JsonNode entry) {
    JsonNode spec = entry.has("app") ? entry.path("app") : entry.path("pod");
    return spec.path("id").asText("");
  }

  /** {@code 42s}, {@code 5m03s}: what is left of the launch delay; {@code -} when the app may launch now. */
  public static String delay(JsonNode entry) {
    long seconds = entry.path("delay").path("timeLeftSeconds").asLong(0);
    if (seconds <= 0) {
      return Cells.NONE;
    }
    return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
  }

  /**
   * Why the app waits in one line: Corral's {@code waitingReason}; else the reason that declined the most of
   * the last offers, e.g. {@code InsufficientMemory (3 of 4 offers)}; else {@code -}.
   */
  public static String reason(JsonNode entry) {
    String waiting = entry.path("waitingReason").asText("");
    if (!waiting.isBlank()) {
      return Cells.oneLine(waiting);
    }
    JsonNode summary = entry.path("processedOffersSummary");
    JsonNode top = null;
    for (JsonNode row : summary.path("rejectSummaryLastOffers")) {
      if (row.path("declined").asLong() > 0 && (top == null || row.path("declined").asLong() > top.path("declined").asLong())) {
        top = row;
      }
    }
    if (top == null) {
      return Cells.NONE;
    }
    long offers = summary.path("rejectSummaryLastOffers").path(0).path("processed").asLong();
    return top.path("reason").asText() + " (" + top.path("declined").asLong() + " of " + offers + " offers)";
  }
}
