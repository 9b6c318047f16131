package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Timestamps;
import dev.corral.services.engine.ServicesView;
import dev.corral.services.instance.Backoff;
import dev.corral.services.instance.Instance;
import dev.corral.services.placement.OfferStats;
import dev.corral.services.placement.RejectReason;
import dev.corral.services.placement.UnusedOffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Marathon's launch queue (api-examples/queue.json): every app with instances waiting for a task, how many,
 * its backoff delay and how offers fared; with {@code embed=lastUnusedOffers}, the last offer of each agent
 * that took none of its instances and why. Plus {@code waitingReason}, Corral's one-line answer to "why is
 * my app not running".
 */
public final class QueueJson {
  /** The {@code embed} value that adds {@code lastUnusedOffers} to each entry. */
  public static final String EMBED_LAST_UNUSED_OFFERS = "lastUnusedOffers";

  private QueueJson() {}

  public static ObjectNode render(ServicesView view, boolean withLastUnusedOffers) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode queue = root.putArray("queue");
    for (AppDefinition app : view.apps().values()) {
      List<Instance> waiting = view.waiting(app.id());
      if (waiting.isEmpty()) {
        continue;
      }
      ObjectNode entry = queue.addObject();
      if (app.isPod()) {
        entry.set("pod", PodJson.pod(app));
      } else {
        entry.set("app", AppJson.withDefaults(app));
      }
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
      OfferStats stats = view.offerStats(app.id());
      entry.set("processedOffersSummary", summary(stats));
      if (withLastUnusedOffers) {
        ArrayNode offers = entry.putArray("lastUnusedOffers");
        stats.lastUnusedOffers().forEach(o -> offers.add(unusedOffer(o)));
      }
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
    n.set("rejectSummaryLastOffers", lastOffersFunnel(stats.lastUnusedOffers()));
    n.set("rejectSummaryLaunchAttempt", launchAttemptFunnel(stats));
    return n;
  }

  /** Over the last unused offers (one per agent), each counted under its first reason, as Marathon does. */
  private static ArrayNode lastOffersFunnel(List<UnusedOffer> offers) {
    long[] declined = new long[RejectReason.values().length];
    offers.forEach(o -> declined[o.reasons().get(0).ordinal()]++);
    ArrayNode out = Json.mapper().createArrayNode();
    long processed = offers.size();
    for (RejectReason r : RejectReason.values()) {
      out.addObject().put("reason", r.wireName()).put("declined", declined[r.ordinal()]).put("processed", processed);
      processed -= declined[r.ordinal()];
    }
    return out;
  }

  /** Over every offer matched against the app since its instances started waiting. */
  private static ArrayNode launchAttemptFunnel(OfferStats stats) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (RejectReason r : RejectReason.values()) {
      out.addObject().put("reason", r.wireName()).put("declined", stats.declinedBy(r))
          .put("processed", stats.processedBy(r));
    }
    return out;
  }

  private static ObjectNode unusedOffer(UnusedOffer unused) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.set("offer", offer(unused.offer()));
    n.put("timestamp", Timestamps.format(unused.timestamp()));
    ArrayNode reasons = n.putArray("reason");
    unused.reasons().forEach(r -> reasons.add(r.wireName()));
    return n;
  }

  /** An offer as Marathon renders one: scalar or ranges resources with their role, text attributes. */
  static ObjectNode offer(Offer offer) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("id", offer.getOfferId());
    n.put("agentId", offer.getAgentId());
    n.put("hostname", offer.getHostname());
    ArrayNode resources = n.putArray("resources");
    for (Resource r : offer.getResourcesList()) {
      ObjectNode res = resources.addObject().put("name", r.getName())
          .put("role", r.getRole().isEmpty() ? "*" : r.getRole());
      if (r.getRangesCount() > 0) {
        ArrayNode ranges = res.putArray("ranges");
        for (Range range : r.getRangesList()) {
          ranges.addObject().put("begin", range.getBegin()).put("end", range.getEnd());
        }
      } else {
        res.put("scalar", r.getScalar());
      }
    }
    ArrayNode attributes = n.putArray("attributes");
    for (Attribute a : offer.getAttributesList()) {
      attributes.addObject().put("name", a.getName()).put("text", a.getText());
    }
    return n;
  }
}
