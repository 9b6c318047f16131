package dev.corral.vip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a master's VIP table over HTTP and hands each change to a proxy. It asks
 * {@code GET /v1/discovery/vips?index=N&wait=30}, which the master answers as soon as the table's index passes
 * N (a hanging GET, as Consul's blocking queries), or after the wait with the same table. So a change reaches
 * every agent within the time of one HTTP answer, and an idle cluster costs one request per agent per
 * {@code wait}. When the master cannot be reached the follower retries, backing off from 250 ms to 5 s, and
 * the proxy keeps the last routes it had.
 *
 * <p>Thread-safety: runs on its own thread; {@code sink} is called there.
 */
public final class VipFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VipFollower.class);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final long MIN_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final URI base;
  private final Consumer<List<VipRoute>> sink;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vip-follower");
    t.setDaemon(true);
    return t;
  });
  private long index = -1;
  private long backoff = MIN_BACKOFF_MS;
  private boolean failing;
  private volatile boolean closed;

  /**
   * @param master the master's HTTP API, e.g. {@code http://10.0.0.1:7070}
   * @param sink the proxy's {@link VipProxy#update}
   */
  public VipFollower(URI master, Consumer<List<VipRoute>> sink) {
    String s = master.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.sink = sink;
  }

  public VipFollower start() {
    thread.execute(this::poll);
    return this;
  }

  private void poll() {
    if (closed) {
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/discovery/vips?index=" + index + "&wait="
        + WAIT.toSeconds())).timeout(WAIT.plusSeconds(15)).header("Accept", "application/json").GET().build();
    client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenCompleteAsync((response, error) -> {
      long delay = 0;
      try {
        if (error != null) {
          throw error instanceof Exception e ? e : new RuntimeException(error);
        }
        if (response.statusCode() != 200) {
          throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode table = Json.mapper().readTree(response.body());
        long next = VipJson.index(table);
        if (next != index) {
          List<VipRoute> routes = VipJson.read(table);
          index = next;
          sink.accept(routes);
        }
        if (failing) {
          log.info("VIP table from {} followed again", base);
        }
        failing = false;
        backoff = MIN_BACKOFF_MS;
      } catch (Exception e) {
        if (!failing && !closed) {
          log.warn("cannot follow the VIP table of {} (retrying): {}", base, e.toString());
        }
        failing = true;
        delay = backoff;
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
      if (!closed) {
        thread.schedule(this::poll, delay, TimeUnit.MILLISECONDS);
      }
    }, thread);
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}
