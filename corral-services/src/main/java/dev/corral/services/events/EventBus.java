package dev.corral.services.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.Timestamps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The service scheduler's event bus: numbers events, keeps the newest ones for clients that resume, and hands
 * them to subscribers (the {@code /v2/events} streams).
 *
 * <p>Publishing is cheap and never waits for a client: the event is stored in a ring of the
 * newest {@link Limits#retained} events, and each subscriber whose filter takes it is woken if its writer is
 * idle. Subscribers copy nothing: each is a cursor into the ring, bounded in how far it may fall behind the
 * newest event ({@link Limits#maxPending}); its writer pulls batches with {@link Subscription#poll}. Memory
 * therefore does not grow with the number of subscribers, and a client resuming with {@code Last-Event-ID} is
 * served from the same ring.
 *
 * <p>Nothing is dropped silently. A subscriber that falls further behind gets, as the last thing on its
 * stream, an {@code event_stream_overflow} notice naming the last event id it was sent; reconnecting with that
 * id resumes exactly after it while the ring still holds what follows (it holds ten times the bound by
 * default). A resume from an id the ring no longer covers (or never did: an id of another run of the
 * scheduler) starts with an {@code event_stream_gap} notice naming the id the stream goes on from, then
 * replays every event still retained.
 *
 * <p>Ids increase by one per event and start, when the bus is created, at the clock's epoch milliseconds ×
 * 1000: ids of a later run (after a restart or a failover) are larger than those of an earlier one, so a stale
 * {@code Last-Event-ID} is recognised as such instead of being taken for an event of this run.
 *
 * <p>Soft state: nothing here is stored; after a restart the ring starts empty.
 *
 * <p>Thread-safety: every method is thread-safe. One short lock guards the ring and the cursors; it is never
 * held while serializing, while waking a writer or during I/O. The {@code onAvailable} callback given to
 * {@link #subscribe} runs on the publishing thread (often the scheduler's event loop) and must return at once.
 */
public final class EventBus {

  /**
   * @param retained how many of the newest events are kept for resuming clients
   * @param maxPending how far (in events) a subscriber may fall behind the newest event before it is
   *     disconnected with an overflow notice; less than {@code retained}, so that it can resume
   * @param maxSubscribers how many subscribers there may be at once
   */
  public record Limits(int retained, int maxPending, int maxSubscribers) {
    public Limits {
      if (retained < 2 || maxPending < 1 || maxPending >= retained || maxSubscribers < 1) {
        throw new IllegalArgumentException("need retained >= 2, 1 <= maxPending < retained, maxSubscribers >= 1: "
            + retained + ", " + maxPending + ", " + maxSubscribers);
      }
    }

    /** The newest 10,000 events, 1,000 behind at most, 100 subscribers. */
    public static Limits defaults() {
      return new Limits(10_000, 1_000, 100);
    }
  }

  /** Thrown by {@link #subscribe} when {@link Limits#maxSubscribers} subscribers are attached. */
  public static final class TooManySubscribers extends RuntimeException {
    TooManySubscribers(int max) {
      super("the event stream already has its maximum of " + max + " clients; try again later", null, false, false);
    }
  }

  private final Clock clock;
  private final Limits limits;
  private final Event[] ring;
  private final long firstId;
  /** The id the next event gets. Guarded by this. */
  private long nextId;
  /** Guarded by this. */
  private final List<Subscription> subscribers = new ArrayList<>();

  public EventBus(Clock clock) {
    this(clock, Limits.defaults());
  }

  public EventBus(Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
    this.ring = new Event[limits.retained()];
    this.firstId = Math.max(1, clock.millis()) * 1000;
    this.nextId = firstId;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Publishes an event of the given type: a shallow copy of {@code payload} with {@code eventType} and
   * {@code timestamp} (the bus clock's time) set, as every Marathon event has them. The payload's own fields
   * may change afterwards, but no node nested in it: the event is serialized later (see {@link Event}).
   */
  public Event publish(String eventType, ObjectNode payload) {
    checkType(eventType);
    ObjectNode json = Json.mapper().createObjectNode();
    json.setAll(payload);
    json.put("eventType", eventType);
    return stampAndPublish(eventType, json);
  }

  /**
   * Publishes an event built by {@link MarathonEvents}, whose {@code eventType} field names its type. The bus
   * takes the event over, adding its {@code timestamp}: the caller must not change it or anything in it
   * afterwards. No copy: the scheduler publishes several events per task it places.
   */
  public Event publish(ObjectNode event) {
    String type = event.path("eventType").asText(null);
    checkType(type);
    return stampAndPublish(type, event);
  }

  private static void checkType(String eventType) {
    if (eventType == null || eventType.isBlank()) {
      throw new IllegalArgumentException("an event needs a type");
    }
  }

  private Event stampAndPublish(String eventType, ObjectNode json) {
    json.put("timestamp", Timestamps.format(clock.instant()));
    List<Subscription> wake = List.of();
    Event event;
    synchronized (this) {
      event = new Event(nextId++, eventType, json);
      ring[slot(event.id())] = event;
      for (Subscription s : subscribers) {
        if (s.offer(event, nextId)) {
          if (wake.isEmpty()) {
            wake = new ArrayList<>();
          }
          wake.add(s);
        }
      }
    }
    for (Subscription s : wake) {
      s.notifyAvailable();
    }
    return event;
  }

  /**
   * Attaches a subscriber.
   *
   * @param types the event types it wants; empty for all (notices about its own stream always come)
   * @param lastEventId the id of the last event the client saw, to resume after it; empty to start with the
   *     next event published
   * @param onAvailable called, on the publishing thread, when events arrive for a subscriber whose last poll
   *     found nothing (or when it overflows); must only hand work to another thread
   * @throws TooManySubscribers when {@link Limits#maxSubscribers} are attached
   */
  public Subscription subscribe(Set<String> types, OptionalLong lastEventId, Runnable onAvailable) {
    return subscribe(types, lastEventId, onAvailable, null);
  }

  /**
   * Attaches a subscriber that sees events through {@code view} (see {@link EventScope#view}): each event
   * as it is, changed (same id and type), or null when withheld from this subscriber; null to see all.
   * The view runs on the thread that polls, never under the bus's lock.
   */
  public Subscription subscribe(Set<String> types, OptionalLong lastEventId, Runnable onAvailable,
      UnaryOperator<Event> view) {
    synchronized (this) {
      if (subscribers.size() >= limits.maxSubscribers()) {
        throw new TooManySubscribers(limits.maxSubscribers());
      }
      long oldest = oldestRetainedLocked();
      long cursor = nextId;
      long gapAfter = Event.NO_ID;
      if (lastEventId.isPresent()) {
        long last = lastEventId.getAsLong();
        if (last >= oldest - 1 && last < nextId) {
          cursor = last + 1;
        } else {
          cursor = oldest;
          gapAfter = last;
        }
      }
      long lag = nextId - cursor;
      long allowedLag = Math.min(limits.retained(), Math.max(limits.maxPending(), lag + limits.maxPending()));
      Subscription s = new Subscription(this, types, cursor, allowedLag, gapAfter, onAvailable, view);
      subscribers.add(s);
      return s;
    }
  }

  /** The id of the newest event published; one less than the first id while none was. */
  public synchronized long lastId() {
    return nextId - 1;
  }

  public synchronized int subscriberCount() {
    return subscribers.size();
  }

  // ---------------------------------------------------------------- for Subscription, under the lock

  Clock clock() {
    return clock;
  }

  int retained() {
    return ring.length;
  }

  long nextIdLocked() {
    return nextId;
  }

  long oldestRetainedLocked() {
    return Math.max(firstId, nextId - ring.length);
  }

  /** The retained event with this id; null when it is no longer (or not yet) retained. */
  Event eventLocked(long id) {
    if (id < oldestRetainedLocked() || id >= nextId) {
      return null;
    }
    Event e = ring[slot(id)];
    return e != null && e.id() == id ? e : null;
  }

  void removeLocked(Subscription s) {
    subscribers.remove(s);
  }

  private int slot(long id) {
    return (int) (id % ring.length);
  }
}
