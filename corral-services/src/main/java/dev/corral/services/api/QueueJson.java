package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.Backoff;
import dev.corral.services.instance.Instance;
import dev.corral.services.placement.OfferStats;
import dev.corral.services.placement.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Marathon's launch queue (api-examples/queue.json): every app with instances waiting for a task, how many,
 * its backoff delay and how offers fared; plus {@code waitingReason}, Corral's one-line answer to "why is
 * my app not running".
 */
public final class QueueJson {
  private QueueJson() {}

  public static ObjectNode render(ServicesView view) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode queue = root.putArray("queue");
    for (AppDefinition app : view.apps().values()) {
      List<Instance> waiting = view.waiting(app.id());
      if (waiting.isEmpty()) {
        continue;
      }
      ObjectNode entry = queue.addObject();
      entry.set("app", AppJson.withDefaults(app));
      entry.put("count", waiting.size());
      Backoff backoff = view.backoff(app.id());
      Duration left = backoff.timeLeft(view.now());
      entry.putObject("delay")
          .put("timeLeftSeconds", (left.toMillis() + 999) / 1000)
          .put("overdue", left.isZero());
      Instant since = waiting.get(0).createdAt();
      for (Instance i : waiting) {
        since = i.createdAt().isBefore(since) ? i.createdAt() : since;
      }
      entry.put("since", Timestamps.format(since));
      entry.set("processedOffersSummary", summary(view.offerStats(app.id())));
      entry.putArray("lastUnusedOffers");
      entry.put("waitingReason", view.waitingReason(app.id()));
    }
    return root;
  }

  private static ObjectNode summary(OfferStats stats) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("processedOffersCount", stats.processed());
    n.put("unusedOffersCount", stats.unused());
    if (stats.lastUnusedAt() != null) {
      n.put("lastUnusedOfferAt", Timestamps.format(stats.lastUnusedAt()));
    }
    if (stats.lastUsedAt() != null) {
      n.put("lastUsedOfferAt", Timestamps.format(stats.lastUsedAt()));
    }
    // Corral checks each offer once per app, so the launch-attempt funnel equals the offer funnel.
    n.set("rejectSummaryLastOffers", funnel(stats));
    n.set("rejectSummaryLaunchAttempt", funnel(stats));
    return n;
  }

  private static ArrayNode funnel(OfferStats stats) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (RejectReason r : RejectReason.values()) {
      out.addObject().put("reason", r.wireName()).put("declined", stats.declinedBy(r))
          .put("processed", stats.processedBy(r));
    }
    return out;
  }
}
