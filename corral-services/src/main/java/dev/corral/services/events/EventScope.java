package dev.corral.services.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What an event is about, and so who may see it: the per-caller view of the event stream.
 *
 * <ul>
 *   <li>Events about one app or pod name it in {@code appId} (status updates, health, app terminated),
 *       {@code runSpecId} (instance changes), {@code appDefinition.id} ({@code api_post_event}) or
 *       {@code podId} (pod events): seen when that id is readable.</li>
 *   <li>Group changes ({@code groupId}): seen when the group itself is readable.</li>
 *   <li>Deployment events: seen when any app or pod the deployment affects is readable; the plan is then
 *       trimmed to the readable ones ({@code affectedApps}, {@code affectedPods} and each step's actions,
 *       steps keeping their places), as DC/OS's Marathon did for listings of deployments.</li>
 *   <li>Everything else (stream attached/detached, scheduler events) is about no app and passes.</li>
 * </ul>
 * An event whose JSON cannot be read is withheld. Stateless and thread-safe.
 */
public final class EventScope {
  private static final Set<String> DEPLOYMENTS = Set.of(EventTypes.DEPLOYMENT_INFO, EventTypes.DEPLOYMENT_SUCCESS,
      EventTypes.DEPLOYMENT_FAILED, EventTypes.DEPLOYMENT_STEP_SUCCESS, EventTypes.DEPLOYMENT_STEP_FAILURE);
  /** Answers remembered per stream; a stream seeing more distinct ids than this starts over. */
  static final int CACHE_LIMIT = 4096;

  private EventScope() {}

  /**
   * The view of a caller who may read the ids {@code readable} accepts: each event as it is, trimmed, or
   * null when withheld. Notices pass untouched. {@code readable}'s answers are cached per view.
   */
  public static UnaryOperator<Event> view(Predicate<String> readable) {
    Predicate<String> cached = cached(readable);
    return e -> e.isNotice() ? e : restrict(e, cached);
  }

  /** The event as the caller may see it: itself, a trimmed copy (same id and type), or null. */
  static Event restrict(Event e, Predicate<String> readable) {
    JsonNode root;
    try {
      root = e.readTree();
    } catch (IOException ex) {
      return null;
    }
    if (!(root instanceof ObjectNode event)) {
      return null;
    }
    if (DEPLOYMENTS.contains(e.type())) {
      return deployment(e, event, readable);
    }
    if (event.hasNonNull("groupId") && (e.type().equals(EventTypes.GROUP_CHANGE_SUCCESS)
        || e.type().equals(EventTypes.GROUP_CHANGE_FAILED))) {
      return readable.test(event.get("groupId").asText()) ? e : null;
    }
    String id = firstText(event, "appId", "runSpecId", "podId");
    if (id == null && event.path("appDefinition").hasNonNull("id")) {
      id = event.path("appDefinition").get("id").asText();
    }
    return id == null || readable.test(id) ? e : null;
  }

  private static Event deployment(Event e, ObjectNode event, Predicate<String> readable) {
    JsonNode plan = event.path("plan");
    List<String> ids = new ArrayList<>();
    plan.path("affectedApps").forEach(n -> ids.add(n.asText()));
    plan.path("affectedPods").forEach(n -> ids.add(n.asText()));
    if (ids.isEmpty()) {
      return e; // about no app or pod
    }
    long seen = ids.stream().filter(readable).count();
    if (seen == 0) {
      return null;
    }
    if (seen == ids.size() && allActionsReadable(event, readable)) {
      return e;
    }
    ObjectNode trimmed = event.deepCopy();
    if (trimmed.get("plan") instanceof ObjectNode p) {
      keepReadable(p.get("affectedApps"), readable);
      keepReadable(p.get("affectedPods"), readable);
      for (JsonNode step : p.path("steps")) {
        keepReadableActions(step, readable);
      }
    }
    keepReadableActions(trimmed.get("currentStep"), readable);
    try {
      return new Event(e.id(), e.type(), Json.mapper().writeValueAsBytes(trimmed));
    } catch (IOException ex) {
      return null;
    }
  }

  private static boolean allActionsReadable(ObjectNode event, Predicate<String> readable) {
    for (JsonNode step : event.path("plan").path("steps")) {
      for (JsonNode action : step.path("actions")) {
        if (!readable.test(actionTarget(action))) {
          return false;
        }
      }
    }
    for (JsonNode action : event.path("currentStep").path("actions")) {
      if (!readable.test(actionTarget(action))) {
        return false;
      }
    }
    return true;
  }

  private static void keepReadable(JsonNode ids, Predicate<String> readable) {
    if (ids instanceof ArrayNode array) {
      for (int i = array.size() - 1; i >= 0; i--) {
        if (!readable.test(array.get(i).asText())) {
          array.remove(i);
        }
      }
    }
  }

  private static void keepReadableActions(JsonNode step, Predicate<String> readable) {
    if (step != null && step.get("actions") instanceof ArrayNode actions) {
      for (int i = actions.size() - 1; i >= 0; i--) {
        if (!readable.test(actionTarget(actions.get(i)))) {
          actions.remove(i);
        }
      }
    }
  }

  private static String actionTarget(JsonNode action) {
    String id = firstText(action, "app", "pod");
    return id == null ? "/" : id;
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String f : fields) {
      JsonNode v = node.get(f);
      if (v != null && v.isTextual()) {
        return v.asText();
      }
    }
    return null;
  }

  /** {@code readable} with its answers remembered; the permission check runs once per id and stream. */
  static Predicate<String> cached(Predicate<String> readable) {
    Map<String, Boolean> answers = new ConcurrentHashMap<>();
    return id -> {
      Boolean known = answers.get(id);
      if (known != null) {
        return known;
      }
      boolean answer = readable.test(id);
      if (answers.size() >= CACHE_LIMIT) {
        answers.clear();
      }
      answers.put(id, answer);
      return answer;
    };
  }
}
