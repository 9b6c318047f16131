package dev.corral.services.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.corral.common.Json;
import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v2/events}: Marathon's event stream as Server-Sent Events, with Corral's resume and overflow
 * contract (see {@link EventBus}).
 *
 * <p>Request: {@code Accept} must name {@code text/event-stream} (Marathon serves the stream only then; Corral
 * answers 406 with a message otherwise). {@code event_type} may be repeated (Marathon) or hold a comma list
 * (Corral); each must be a known type. {@code Last-Event-ID} (the header browsers resend on reconnect, or the
 * {@code lastEventId} query parameter for curl) resumes after that event. More clients than the bus allows: 503.
 *
 * <p>Each stream carries only what its caller may see: {@link StreamAccess} says which apps and pods that is
 * (asked once, when the stream opens), {@link EventScope} which events are about them.
 *
 * <p>Threads: the handler only validates and subscribes; the stream is written with non-blocking I/O by
 * {@link SseConnection} on a small pool of daemon threads (which also sends the heartbeats, an SSE comment
 * every {@code heartbeat}), so no Jetty thread is held by an idle or slow client, and the publisher (the
 * scheduler's event loop) only ever hands work to that pool.
 */
public final class EventStreamEndpoint {
  private static final Logger log = LoggerFactory.getLogger(EventStreamEndpoint.class);
  /** Often enough for proxies that drop idle connections after 30 s or more (and Jetty's default idle timeout). */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
  private static final String JSON = "application/json; charset=utf-8";
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final EventBus bus;
  private final Duration heartbeat;
  private final ScheduledThreadPoolExecutor pool;
  private final StreamAccess access;

  public EventStreamEndpoint(EventBus bus) {
    this(bus, DEFAULT_HEARTBEAT, StreamAccess.ALL);
  }

  public EventStreamEndpoint(EventBus bus, StreamAccess access) {
    this(bus, DEFAULT_HEARTBEAT, access);
  }

  public EventStreamEndpoint(EventBus bus, Duration heartbeat) {
    this(bus, heartbeat, StreamAccess.ALL);
  }

  public EventStreamEndpoint(EventBus bus, Duration heartbeat, StreamAccess access) {
    this.bus = bus;
    this.access = access;
    this.heartbeat = heartbeat;
    int n = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.pool = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "event-stream-" + n + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Threads exist only while there are streams (the pool has no owner to shut it down).
    pool.setKeepAliveTime(30, TimeUnit.SECONDS);
    pool.allowCoreThreadTimeOut(true);
    pool.setRemoveOnCancelPolicy(true);
  }

  /** The Javalin handler. */
  public void handle(Context ctx) {
    if (!acceptsEventStream(ctx.req().getHeaders("Accept"))) {
      answer(ctx, 406, "GET /v2/events is a stream of Server-Sent Events: send the header 'Accept: text/event-stream'");
      return;
    }
    Set<String> types;
    OptionalLong lastEventId;
    try {
      types = eventTypes(ctx.queryParams("event_type"));
      lastEventId = lastEventId(ctx.header("Last-Event-ID"), ctx.queryParam("lastEventId"));
    } catch (IllegalArgumentException e) {
      answer(ctx, 400, e.getMessage());
      return;
    }
    Predicate<String> readable = access.readable(ctx);
    UnaryOperator<Event> view = readable == null ? null : EventScope.view(readable);
    String remoteAddress = ctx.req().getRemoteAddr();
    // The future's supplier runs once Javalin has put the request in asynchronous mode.
    ctx.future(() -> open(ctx, types, lastEventId, remoteAddress, view));
  }

  private CompletableFuture<Void> open(Context ctx, Set<String> types, OptionalLong lastEventId, String remote,
      UnaryOperator<Event> view) {
    SseConnection connection = new SseConnection(pool, pool, heartbeat, () -> {
      bus.publish(MarathonEvents.streamDetached(remote));
      log.info("event stream detached: {}", remote);
    });
    Subscription subscription;
    try {
      subscription = bus.subscribe(types, lastEventId, connection::wake, view);
    } catch (EventBus.TooManySubscribers e) {
      answer(ctx, 503, e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    connection.subscribe(subscription);
    // Published once subscribed, so that the new client sees its own attachment, as with Marathon.
    bus.publish(MarathonEvents.streamAttached(remote));
    log.info("event stream attached: {} (event types: {})", remote, types.isEmpty() ? "all" : types);
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setCharacterEncoding("UTF-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no"); // nginx: pass events on at once
    AsyncContext async = ctx.req().getAsyncContext();
    async.setTimeout(0); // a stream has no end; dead clients are found by the heartbeat
    async.addListener(connection);
    try {
      connection.start(res.getOutputStream());
    } catch (IOException | RuntimeException e) {
      connection.finish();
    }
    return connection.done();
  }

  // ---------------------------------------------------------------- request parsing

  /** Whether any Accept header lists text/event-stream (parameters and case ignored). */
  static boolean acceptsEventStream(Enumeration<String> headers) {
    if (headers == null) {
      return false;
    }
    for (String header : Collections.list(headers)) {
      for (String range : header.split(",")) {
        int semicolon = range.indexOf(';');
        String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim();
        if (type.equalsIgnoreCase("text/event-stream")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The event types asked for (repeated parameters and comma lists); empty for all. */
  static Set<String> eventTypes(List<String> params) {
    Set<String> types = new LinkedHashSet<>();
    for (String param : params) {
      for (String part : param.split(",")) {
        String type = part.trim();
        if (type.isEmpty()) {
          continue;
        }
        if (!EventTypes.KNOWN.contains(type)) {
          throw new IllegalArgumentException("Invalid query parameter event_type: unknown event type '" + type
              + "'; known types: " + String.join(", ", new TreeSet<>(EventTypes.KNOWN)));
        }
        types.add(type);
      }
    }
    return types;
  }

  /** The id to resume after: the Last-Event-ID header, else the lastEventId parameter; empty when neither. */
  static OptionalLong lastEventId(String header, String param) {
    String name = header != null ? "Last-Event-ID" : "lastEventId";
    String value = header != null ? header : param;
    if (value == null || value.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      long id = Long.parseLong(value.trim());
      if (id >= 0) {
        return OptionalLong.of(id);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("Invalid " + name + " '" + value + "': must be the id of an event of this "
        + "stream (a whole number, as sent in the 'id:' lines)");
  }

  private static void answer(Context ctx, int status, String message) {
    try {
      ctx.status(status).contentType(JSON).result(Json.mapper().writeValueAsBytes(
          Json.mapper().createObjectNode().put("message", message)));
    } catch (JsonProcessingException e) {
      ctx.status(500).result("{\"message\":\"could not render the answer\"}");
    }
  }
}
