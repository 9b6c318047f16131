package dev.corral.services.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.FakeClock;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventBusTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T12:00:00Z"));

  /** A subscriber without a network: counts wake-ups and polls when the test says so. */
  private static final class FakeSubscriber {
    final Subscription subscription;
    int wakeUps;

    FakeSubscriber(EventBus bus, Set<String> types, OptionalLong lastEventId) {
      subscription = bus.subscribe(types, lastEventId, () -> wakeUps++);
    }

    /** Polls until nothing is left; the events and notices in order. */
    List<Event> drain() {
      List<Event> out = new ArrayList<>();
      while (true) {
        Subscription.Delivery d = subscription.poll(3);
        out.addAll(d.events());
        if (d.end() || d.events().isEmpty()) {
          return out;
        }
      }
    }
  }

  private static ObjectNode payload(String key, Object value) {
    return Json.mapper().createObjectNode().put(key, String.valueOf(value));
  }

  private static JsonNode json(Event e) {
    try {
      return Json.mapper().readTree(e.json());
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  private static List<Long> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  private static List<String> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  @Test
  void eventsAreNumberedFromTheClockAndDeliveredInOrderWithTypeAndTimestamp() {
    EventBus bus = new EventBus(clock);
    FakeSubscriber s = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    Event first = bus.publish("status_update_event", payload("n", 1));
    clock.advance(java.time.Duration.ofMillis(5));
    bus.publish(MarathonEvents.appTerminated("/a"));
    bus.publish("api_post_event", payload("n", 3));

    assertThat(first.id()).isEqualTo(clock.instant().minusMillis(5).toEpochMilli() * 1000);
    List<Event> got = s.drain();
    assertThat(ids(got)).containsExactly(first.id(), first.id() + 1, first.id() + 2);
    assertThat(types(got)).containsExactly("status_update_event", "app_terminated_event", "api_post_event");
    assertThat(json(got.get(0)).get("n").asText()).isEqualTo("1");
    assertThat(json(got.get(0)).get("eventType").asText()).isEqualTo("status_update_event");
    assertThat(json(got.get(0)).get("timestamp").asText()).isEqualTo("2026-03-01T12:00:00.000Z");
    assertThat(json(got.get(1)).get("appId").asText()).isEqualTo("/a");
    assertThat(json(got.get(1)).get("timestamp").asText()).isEqualTo("2026-03-01T12:00:00.005Z");
    assertThat(bus.lastId()).isEqualTo(first.id() + 2);
  }

  @Test
  void aSubscriberStartsWithTheNextEventAndIsWokenOnceWhenIdle() {
    EventBus bus = new EventBus(clock);
    bus.publish("api_post_event", payload("before", true));
    FakeSubscriber s = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    assertThat(s.drain()).isEmpty();

    Event e = bus.publish("api_post_event", payload("after", true));
    bus.publish("api_post_event", payload("after", true));
    assertThat(s.wakeUps).as("woken for the first event only; the writer then polls").isEqualTo(1);
    assertThat(ids(s.drain())).containsExactly(e.id(), e.id() + 1);

    bus.publish("api_post_event", payload("later", true));
    assertThat(s.wakeUps).isEqualTo(2);
  }

  @Test
  void aFilterPassesOnlyItsTypesAndUnwantedEventsNeitherWakeNorCount() {
    EventBus bus = new EventBus(clock, new EventBus.Limits(100, 5, 10));
    FakeSubscriber s = new FakeSubscriber(bus, Set.of("status_update_event", "app_terminated_event"),
        OptionalLong.empty());
    assertThat(s.drain()).isEmpty();
    for (int i = 0; i < 10; i++) {
      bus.publish("api_post_event", payload("i", i));
    }
    assertThat(s.wakeUps).isZero();
    Event wanted = bus.publish("status_update_event", payload("i", 10));
    bus.publish("instance_changed_event", payload("i", 11));
    bus.publish("app_terminated_event", payload("i", 12));

    List<Event> got = s.drain();
    assertThat(types(got)).as("ten unwanted events while idle did not count against a bound of five")
        .containsExactly("status_update_event", "app_terminated_event");
    assertThat(ids(got)).containsExactly(wanted.id(), wanted.id() + 2);
  }

  @Test
  void aClientResumesExactlyAfterItsLastEventId() {
    EventBus bus = new EventBus(clock);
    List<Event> published = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      published.add(bus.publish("status_update_event", payload("i", i)));
    }
    FakeSubscriber s = new FakeSubscriber(bus, Set.of(), OptionalLong.of(published.get(1).id()));
    Event live = bus.publish("status_update_event", payload("i", 5));

    assertThat(ids(s.drain())).containsExactly(published.get(2).id(), published.get(3).id(), published.get(4).id(),
        live.id());

    FakeSubscriber upToDate = new FakeSubscriber(bus, Set.of(), OptionalLong.of(live.id()));
    assertThat(upToDate.drain()).isEmpty();
  }

  @Test
  void aResumeFromEventsNoLongerKeptStartsWithAGapNoticeThenReplaysWhatIsKept() {
    EventBus bus = new EventBus(clock, new EventBus.Limits(10, 5, 10));
    Event first = bus.publish("status_update_event", payload("i", 0));
    for (int i = 1; i < 25; i++) {
      bus.publish("status_update_event", payload("i", i));
    }
    long oldestKept = first.id() + 15;

    FakeSubscriber s = new FakeSubscriber(bus, Set.of("app_terminated_event"), OptionalLong.of(first.id()));
    List<Event> got = s.drain();

    assertThat(got.get(0).type()).isEqualTo(EventTypes.STREAM_GAP);
    assertThat(got.get(0).isNotice()).isTrue();
    JsonNode gap = json(got.get(0));
    assertThat(gap.get("lastEventId").asLong()).isEqualTo(first.id());
    assertThat(gap.get("resumedFrom").asLong()).isEqualTo(oldestKept);
    assertThat(gap.get("message").asText()).contains("no longer available").contains("id " + oldestKept);
    assertThat(gap.get("timestamp").asText()).isNotEmpty();
    assertThat(ids(got.subList(1, got.size()))).as("the filter takes none of the kept events").isEmpty();

    FakeSubscriber all = new FakeSubscriber(bus, Set.of(), OptionalLong.of(first.id() + 3));
    List<Event> replay = all.drain();
    assertThat(replay.get(0).type()).isEqualTo(EventTypes.STREAM_GAP);
    assertThat(ids(replay.subList(1, replay.size()))).hasSize(10).startsWith(oldestKept).endsWith(bus.lastId());
  }

  @Test
  void anIdThisRunNeverIssuedIsAGapToo() {
    EventBus bus = new EventBus(clock);
    Event e = bus.publish("status_update_event", payload("i", 0));
    FakeSubscriber fromTheFuture = new FakeSubscriber(bus, Set.of(), OptionalLong.of(e.id() + 1000));
    FakeSubscriber fromAnEarlierRun = new FakeSubscriber(bus, Set.of(), OptionalLong.of(e.id() - 1000));

    for (FakeSubscriber s : List.of(fromTheFuture, fromAnEarlierRun)) {
      List<Event> got = s.drain();
      assertThat(types(got)).containsExactly(EventTypes.STREAM_GAP, "status_update_event");
      assertThat(json(got.get(0)).get("resumedFrom").asLong()).isEqualTo(e.id());
    }
  }

  @Test
  void aSubscriberTooFarBehindGetsAnOverflowNoticeAsItsLastEventAndCanResumeFromIt() {
    EventBus bus = new EventBus(clock, new EventBus.Limits(100, 5, 10));
    FakeSubscriber slow = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    Event first = bus.publish("status_update_event", payload("i", 0));
    Event second = bus.publish("status_update_event", payload("i", 1));
    assertThat(slow.subscription.poll(1).events()).extracting(Event::id).containsExactly(first.id());
    assertThat(slow.wakeUps).isZero();

    for (int i = 2; i < 8; i++) {
      bus.publish("status_update_event", payload("i", i));
    }
    Subscription.Delivery last = slow.subscription.poll(100);

    assertThat(last.end()).isTrue();
    assertThat(types(last.events())).as("events it could not take are not sent, nor skipped silently")
        .containsExactly(EventTypes.STREAM_OVERFLOW);
    JsonNode notice = json(last.events().get(0));
    assertThat(notice.get("lastEventId").asLong()).isEqualTo(first.id());
    assertThat(notice.get("message").asText()).contains("Last-Event-ID: " + first.id()).contains("lastEventId=");
    assertThat(slow.subscription.ended()).isTrue();
    assertThat(slow.subscription.poll(10)).isEqualTo(new Subscription.Delivery(List.of(), true));
    assertThat(bus.subscriberCount()).isZero();

    FakeSubscriber resumed = new FakeSubscriber(bus, Set.of(), OptionalLong.of(notice.get("lastEventId").asLong()));
    List<Event> replay = resumed.drain();
    assertThat(replay).hasSize(7);
    assertThat(replay.get(0).id()).isEqualTo(second.id());
    assertThat(replay.get(6).id()).isEqualTo(bus.lastId());
  }

  @Test
  void aWokenWriterThatFellBehindFindsTheOverflowNotice() {
    EventBus bus = new EventBus(clock, new EventBus.Limits(100, 2, 10));
    FakeSubscriber s = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    assertThat(s.drain()).isEmpty();
    bus.publish("status_update_event", payload("i", 0));
    assertThat(s.wakeUps).isEqualTo(1);
    bus.publish("status_update_event", payload("i", 1));
    bus.publish("status_update_event", payload("i", 2));
    assertThat(types(s.drain())).containsExactly(EventTypes.STREAM_OVERFLOW);
  }

  @Test
  void aResumingClientMayStartFurtherBehindThanTheBoundButMustNotFallFurther() {
    EventBus bus = new EventBus(clock, new EventBus.Limits(100, 5, 10));
    Event first = bus.publish("status_update_event", payload("i", 0));
    for (int i = 1; i < 50; i++) {
      bus.publish("status_update_event", payload("i", i));
    }
    FakeSubscriber s = new FakeSubscriber(bus, Set.of(), OptionalLong.of(first.id()));
    for (int i = 0; i < 4; i++) {
      bus.publish("status_update_event", payload("more", i));
    }
    assertThat(s.drain()).hasSize(53).noneMatch(Event::isNotice);

    for (int i = 0; i < 6; i++) {
      bus.publish("status_update_event", payload("after", i));
    }
    assertThat(types(s.drain())).as("caught up, it is held to the bound").containsExactly(EventTypes.STREAM_OVERFLOW);
  }

  @Test
  void theNumberOfSubscribersIsBounded() {
    EventBus bus = new EventBus(clock, new EventBus.Limits(100, 5, 2));
    FakeSubscriber a = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    new FakeSubscriber(bus, Set.of(), OptionalLong.empty());

    assertThatThrownBy(() -> bus.subscribe(Set.of(), OptionalLong.empty(), () -> { }))
        .isInstanceOf(EventBus.TooManySubscribers.class).hasMessageContaining("maximum of 2 clients");

    a.subscription.close();
    a.subscription.close();
    assertThat(bus.subscriberCount()).isEqualTo(1);
    assertThat(a.subscription.poll(10).end()).isTrue();
    assertThat(bus.subscribe(Set.of(), OptionalLong.empty(), () -> { })).isNotNull();
  }

  @Test
  void publishTakesAShallowCopyAndRejectsAnUntypedEvent() {
    EventBus bus = new EventBus(clock);
    FakeSubscriber s = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    ObjectNode payload = payload("k", "v");
    bus.publish("api_post_event", payload);
    payload.put("k", "changed");

    assertThat(payload.has("eventType")).isFalse();
    assertThat(json(s.drain().get(0)).get("k").asText()).isEqualTo("v");
    assertThatThrownBy(() -> bus.publish(payload)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEventReadLaterStillShowsWhenItWasPublishedAndEveryReaderGetsTheSameBytes() {
    EventBus bus = new EventBus(clock);
    FakeSubscriber first = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    FakeSubscriber second = new FakeSubscriber(bus, Set.of(), OptionalLong.empty());
    bus.publish("status_update_event", payload("taskId", "t1"));
    clock.advance(Duration.ofMinutes(5)); // serialized only now, when first read

    Event a = first.drain().get(0);
    Event b = second.drain().get(0);
    assertThat(json(a).get("timestamp").asText()).isEqualTo("2026-03-01T12:00:00.000Z");
    assertThat(json(a).get("taskId").asText()).isEqualTo("t1");
    assertThat(b.jsonBytes()).isEqualTo(a.jsonBytes());
  }
}
