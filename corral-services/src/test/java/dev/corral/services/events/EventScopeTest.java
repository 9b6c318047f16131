package dev.corral.services.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.FakeClock;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EventScopeTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final EventBus bus = new EventBus(clock);
  /** A caller who may read /a and everything under it. */
  private static final Predicate<String> UNDER_A = id -> id.equals("/a") || id.startsWith("/a/");

  private static JsonNode json(Event e) {
    try {
      return Json.mapper().readTree(e.json());
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  private Event seenBy(Predicate<String> readable, ObjectNode event) {
    return EventScope.restrict(bus.publish(event), readable);
  }

  private static ObjectNode withId(String field, String id, String type) {
    return Json.mapper().createObjectNode().put(field, id).put("eventType", type);
  }

  @Test
  void eventsAboutOneAppOrPodPassOnlyWhenItIsReadable() {
    for (String[] fieldAndType : new String[][] {{"appId", EventTypes.STATUS_UPDATE},
        {"appId", EventTypes.APP_TERMINATED}, {"appId", EventTypes.HEALTH_STATUS_CHANGED},
        {"appId", EventTypes.FAILED_HEALTH_CHECK}, {"appId", EventTypes.UNHEALTHY_INSTANCE_KILL},
        {"runSpecId", EventTypes.INSTANCE_CHANGED}}) {
      assertThat(seenBy(UNDER_A, withId(fieldAndType[0], "/a/web", fieldAndType[1]))).as(fieldAndType[1]).isNotNull();
      assertThat(seenBy(UNDER_A, withId(fieldAndType[0], "/b/web", fieldAndType[1]))).as(fieldAndType[1]).isNull();
    }
    RequestOrigin origin = new RequestOrigin("127.0.0.1", "/v2/pods");
    assertThat(seenBy(UNDER_A, MarathonEvents.pod(EventTypes.POD_CREATED, "/a/db", origin))).isNotNull();
    assertThat(seenBy(UNDER_A, MarathonEvents.pod(EventTypes.POD_DELETED, "/b/db", origin))).isNull();
    ObjectNode apiPost = Json.mapper().createObjectNode().put("eventType", EventTypes.API_POST);
    apiPost.putObject("appDefinition").put("id", "/b/web");
    assertThat(seenBy(UNDER_A, apiPost)).isNull();
    apiPost.putObject("appDefinition").put("id", "/a/web");
    assertThat(seenBy(UNDER_A, apiPost)).isNotNull();
  }

  @Test
  void groupChangesPassWhenTheGroupIsReadable() {
    assertThat(seenBy(UNDER_A, MarathonEvents.groupChangeSuccess("/a", "v1"))).isNotNull();
    assertThat(seenBy(UNDER_A, MarathonEvents.groupChangeFailed("/b", "v1", "no"))).isNull();
    assertThat(seenBy(UNDER_A, MarathonEvents.groupChangeSuccess("/", "v1"))).isNull();
  }

  @Test
  void eventsAboutNoAppPassAndUnreadableOnesAreWithheld() {
    assertThat(seenBy(UNDER_A, MarathonEvents.streamAttached("10.0.0.1"))).isNotNull();
    assertThat(seenBy(UNDER_A, MarathonEvents.streamDetached("10.0.0.1"))).isNotNull();
    assertThat(EventScope.restrict(new Event(7, EventTypes.STATUS_UPDATE, "{not json".getBytes()), UNDER_A)).isNull();
  }

  @Test
  void aDeploymentIsSeenWhenAnyAffectedAppIsReadableWithThePlanTrimmedToThem() {
    Event mixed = bus.publish(MarathonEvents.deploymentInfo(plan("d1", "/a/web", "/b/web"), step("/a/web", "/b/web")));

    Event seen = EventScope.restrict(mixed, UNDER_A);

    assertThat(seen.id()).isEqualTo(mixed.id());
    assertThat(seen.type()).isEqualTo(EventTypes.DEPLOYMENT_INFO);
    JsonNode plan = json(seen).get("plan");
    assertThat(plan.get("id").asText()).isEqualTo("d1");
    assertThat(texts(plan.get("affectedApps"))).containsExactly("/a/web");
    assertThat(plan.get("steps")).hasSize(2); // steps keep their places
    assertThat(texts(plan.get("steps").get(0).get("actions"), "app")).containsExactly("/a/web");
    assertThat(texts(plan.get("steps").get(1).get("actions"), "app")).isEmpty();
    assertThat(texts(json(seen).get("currentStep").get("actions"), "app")).containsExactly("/a/web");
    assertThat(json(seen).get("timestamp").asText()).isEqualTo(json(mixed).get("timestamp").asText());

    assertThat(EventScope.restrict(mixed, id -> true)).isSameAs(mixed);
    assertThat(EventScope.restrict(bus.publish(MarathonEvents.deploymentSuccess("d2", plan("d2", "/b/x"))), UNDER_A))
        .isNull();
    Event onlyA = bus.publish(MarathonEvents.deploymentFailed("d3", plan("d3", "/a/x")));
    assertThat(EventScope.restrict(onlyA, UNDER_A)).isSameAs(onlyA);
  }

  @Test
  void aStreamWithAViewSkipsWithheldEventsWithoutStalling() {
    List<Integer> wakeUps = new ArrayList<>(List.of(0));
    Subscription s = bus.subscribe(Set.of(), OptionalLong.empty(), () -> wakeUps.set(0, wakeUps.get(0) + 1),
        EventScope.view(UNDER_A));
    for (int i = 0; i < 5; i++) {
      bus.publish(MarathonEvents.appTerminated("/b/x" + i));
    }
    Event mine = bus.publish(MarathonEvents.appTerminated("/a/x"));

    Subscription.Delivery d = s.poll(2); // the first two batches are withheld whole: the poll looks further
    assertThat(d.events()).extracting(Event::id).containsExactly(mine.id());
    assertThat(s.poll(2).events()).isEmpty();

    bus.publish(MarathonEvents.appTerminated("/b/y"));
    assertThat(wakeUps.get(0)).isEqualTo(1); // woken, finds nothing for it, and waits again
    assertThat(s.poll(2).events()).isEmpty();
    bus.publish(MarathonEvents.appTerminated("/a/y"));
    assertThat(wakeUps.get(0)).isEqualTo(2);
    assertThat(s.poll(2).events()).extracting(e -> json(e).get("appId").asText()).containsExactly("/a/y");
  }

  @Test
  void theViewAsksOncePerIdAndStream() {
    AtomicInteger asked = new AtomicInteger();
    UnaryOperator<Event> view = EventScope.view(id -> {
      asked.incrementAndGet();
      return UNDER_A.test(id);
    });
    for (int i = 0; i < 10; i++) {
      view.apply(bus.publish(MarathonEvents.appTerminated("/a/web")));
      view.apply(bus.publish(MarathonEvents.appTerminated("/b/web")));
    }
    assertThat(asked).hasValue(2);
  }

  private static ObjectNode plan(String id, String... apps) {
    ObjectNode plan = Json.mapper().createObjectNode().put("id", id).put("version", "2026-03-01T12:00:00.000Z");
    ArrayNode steps = plan.putArray("steps");
    for (String app : apps) {
      steps.addObject().putArray("actions").addObject().put("action", "StartApplication").put("app", app);
    }
    ArrayNode affected = plan.putArray("affectedApps");
    for (String app : apps) {
      affected.add(app);
    }
    plan.putArray("affectedPods");
    return plan;
  }

  private static ObjectNode step(String... apps) {
    ObjectNode step = Json.mapper().createObjectNode();
    ArrayNode actions = step.putArray("actions");
    for (String app : apps) {
      actions.addObject().put("action", "StartApplication").put("app", app);
    }
    return step;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }
}
