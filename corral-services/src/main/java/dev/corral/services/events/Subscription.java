package dev.corral.services.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One subscriber of the {@link EventBus}: a cursor into the bus's ring, a filter, and the bound on how far it
 * may fall behind. Its writer calls {@link #poll} until a poll comes back empty, then waits for the
 * {@code onAvailable} callback given to {@link EventBus#subscribe}; it calls {@link #close} when its client
 * goes away.
 *
 * <p>Thread-safety: thread-safe; the state is guarded by the bus's lock. {@link #poll} is meant to be called
 * by one writer at a time.
 */
public final class Subscription {

  /**
   * What a poll found, in stream order.
   *
   * @param events events and notices to send; empty when there is nothing now (the writer will be woken)
   * @param end whether the stream ends after these (overflow, or closed); nothing more will come
   */
  public record Delivery(List<Event> events, boolean end) {
    public Delivery {
      events = List.copyOf(events);
    }
  }

  private final EventBus bus;
  private final Set<String> types;
  private final Runnable onAvailable;
  /** The caller's view of each event (itself, trimmed, or null: withheld); null when it sees everything. */
  private final UnaryOperator<Event> view;
  // Guarded by bus.
  /** The id of the next event this subscriber has to look at. */
  private long cursor;
  /** How far behind the newest event the cursor may be; shrinks to maxPending as a resuming client catches up. */
  private long allowedLag;
  /** The Last-Event-ID that could not be resumed from, until the gap notice is handed out; NO_ID otherwise. */
  private long gapAfter;
  private boolean waiting;
  private boolean overflowed;
  private boolean ended;

  Subscription(EventBus bus, Set<String> types, long cursor, long allowedLag, long gapAfter, Runnable onAvailable,
      UnaryOperator<Event> view) {
    this.bus = bus;
    this.view = view;
    this.types = Set.copyOf(types);
    this.cursor = cursor;
    this.allowedLag = allowedLag;
    this.gapAfter = gapAfter;
    this.onAvailable = onAvailable;
  }

  /** The event types this subscriber wants; empty means all. */
  public Set<String> types() {
    return types;
  }

  /**
   * Takes up to {@code max} events (and notices) in order. An empty, non-final answer means nothing is there
   * now; the {@code onAvailable} callback runs once something is. With a view, events it withholds are
   * skipped (they still count towards the lag) and the view runs outside the bus's lock.
   */
  public Delivery poll(int max) {
    while (true) {
      Delivery taken = take(max);
      if (view == null || taken.events().isEmpty()) {
        return taken;
      }
      List<Event> seen = new ArrayList<>(taken.events().size());
      for (Event e : taken.events()) {
        Event v = e.isNotice() ? e : view.apply(e);
        if (v != null) {
          seen.add(v);
        }
      }
      // Everything withheld: look again, so that an empty answer always means "nothing there, will be woken".
      if (!seen.isEmpty() || taken.end()) {
        return new Delivery(seen, taken.end());
      }
    }
  }

  private Delivery take(int max) {
    List<Event> out = new ArrayList<>();
    long gapFrom = Event.NO_ID;
    long gapLast = Event.NO_ID;
    long overflowLast = Event.NO_ID;
    long behind = 0;
    long limit = 0;
    synchronized (bus) {
      if (ended) {
        return new Delivery(List.of(), true);
      }
      if (gapAfter != Event.NO_ID) {
        gapLast = gapAfter;
        gapFrom = cursor;
        gapAfter = Event.NO_ID;
      }
      long next = bus.nextIdLocked();
      if (overflowed || (cursor < next && bus.eventLocked(cursor) == null)) {
        // Too far behind (or, should the bound ever be passed, behind the ring): end the stream, saying where
        // the client stands, rather than skip events.
        overflowLast = cursor - 1;
        behind = next - cursor;
        limit = allowedLag;
        ended = true;
        bus.removeLocked(this);
      } else {
        while (cursor < next && out.size() < max) {
          Event e = bus.eventLocked(cursor);
          cursor++;
          if (accepts(e.type())) {
            out.add(e);
          }
        }
        long lag = next - cursor;
        allowedLag = Math.max(bus.limits().maxPending(), Math.min(allowedLag, lag + bus.limits().maxPending()));
        waiting = out.isEmpty() && gapLast == Event.NO_ID;
      }
    }
    List<Event> delivered = out;
    if (gapLast != Event.NO_ID) {
      delivered = new ArrayList<>(out.size() + 1);
      delivered.add(Notices.gap(gapLast, gapFrom, bus.retained(), bus.clock().instant()));
      delivered.addAll(out);
    }
    if (overflowLast != Event.NO_ID) {
      delivered = new ArrayList<>(delivered);
      delivered.add(Notices.overflow(overflowLast, behind, limit, bus.retained(), bus.clock().instant()));
      return new Delivery(delivered, true);
    }
    return new Delivery(delivered, false);
  }

  /** Detaches from the bus; idempotent. Later polls answer an empty, final delivery. */
  public void close() {
    synchronized (bus) {
      ended = true;
      bus.removeLocked(this);
    }
  }

  /** Whether the subscription has ended: closed, or its overflow notice handed out. */
  public boolean ended() {
    synchronized (bus) {
      return ended;
    }
  }

  // ---------------------------------------------------------------- for EventBus

  /**
   * Takes note of a published event (bus lock held); answers whether the writer must be woken. A subscriber
   * that is caught up steps over events it does not want at once, so that only events it wants count as lag
   * while it is idle.
   */
  boolean offer(Event e, long nextId) {
    if (ended || overflowed) {
      return false;
    }
    if (cursor == e.id() && !accepts(e.type())) {
      cursor++;
      return false;
    }
    if (nextId - cursor > allowedLag) {
      overflowed = true;
      return takeWaiting();
    }
    return accepts(e.type()) && takeWaiting();
  }

  void notifyAvailable() {
    onAvailable.run();
  }

  private boolean takeWaiting() {
    boolean was = waiting;
    waiting = false;
    return was;
  }

  private boolean accepts(String type) {
    return types.isEmpty() || types.contains(type);
  }
}
