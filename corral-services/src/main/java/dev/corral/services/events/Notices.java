package dev.corral.services.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.Timestamps;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Corral's notices to one client about its own stream. They carry no id (so a client's Last-Event-ID stays
 * the id of the last real event it got) and pass every filter.
 */
final class Notices {
  private Notices() {}

  /** The stream ends: the client fell behind. It can resume after {@code lastEventId}. */
  static Event overflow(long lastEventId, long behind, long limit, int retained, Instant now) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("lastEventId", lastEventId);
    n.put("behind", behind);
    n.put("limit", limit);
    n.put("message", "This client fell " + behind + " events behind (the limit is " + limit + ") and is "
        + "disconnected. Reconnect with the header 'Last-Event-ID: " + lastEventId + "' (or the query parameter "
        + "lastEventId=" + lastEventId + ") to resume right after the last event it was sent; Corral keeps the "
        + "newest " + retained + " events.");
    return notice(EventTypes.STREAM_OVERFLOW, n, now);
  }

  /** The events after {@code lastEventId} are gone; the stream goes on with event {@code resumedFrom}. */
  static Event gap(long lastEventId, long resumedFrom, int retained, Instant now) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("lastEventId", lastEventId);
    n.put("resumedFrom", resumedFrom);
    n.put("message", "The events after id " + lastEventId + " are no longer available (Corral keeps the newest "
        + retained + " events, and none from before the scheduler last started); the stream goes on from id "
        + resumedFrom + ". Re-read the state you follow (for example GET /v2/apps and /v2/tasks).");
    return notice(EventTypes.STREAM_GAP, n, now);
  }

  private static Event notice(String type, ObjectNode n, Instant now) {
    n.put("eventType", type);
    n.put("timestamp", Timestamps.format(now));
    try {
      return Event.notice(type, Json.mapper().writeValueAsBytes(n));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
