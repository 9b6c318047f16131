package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A background API client that keeps the Marathon API busy while a deployment runs, as dashboards and
 * scripts would: it cycles through GET /v2/apps/{id} (of a small app), GET /v2/queue and POST of a small
 * app, at a fixed total rate, and records each request's latency. A request slower than the interval
 * delays the next (no catch-up burst), so the figures are per request, not per intended slot.
 */
final class ApiLoad implements AutoCloseable {
  enum Kind { GET_APP, GET_QUEUE, POST_APP }

  private final HttpApi api;
  private final String probeAppId;
  private final String postPrefix;
  private final long intervalNanos;
  private final Map<Kind, Latencies> latencies = new EnumMap<>(Kind.class);
  private final Thread thread;
  private volatile boolean stopped;
  private int posted;

  /**
   * @param probeAppId the app to GET, e.g. {@code /bench/probe}
   * @param postPrefix the group small apps are posted under, e.g. {@code /bench/api-a}
   * @param ratePerSecond requests per second, all kinds together
   */
  ApiLoad(HttpApi api, String probeAppId, String postPrefix, double ratePerSecond) {
    this.api = api;
    this.probeAppId = probeAppId;
    this.postPrefix = postPrefix;
    this.intervalNanos = (long) (1e9 / ratePerSecond);
    for (Kind k : Kind.values()) {
      latencies.put(k, new Latencies());
    }
    this.thread = new Thread(this::run, "bench-api-load");
    thread.setDaemon(true);
  }

  ApiLoad start() {
    thread.start();
    return this;
  }

  /** Stops and returns the figures per kind of request. */
  ObjectNode stop() throws InterruptedException {
    stopped = true;
    thread.join(TimeUnit.MINUTES.toMillis(2));
    ObjectNode out = Json.mapper().createObjectNode();
    latencies.forEach((k, l) -> out.set(k.name(), l.summary()));
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void run() {
    long next = System.nanoTime();
    int i = 0;
    while (!stopped) {
      Kind kind = Kind.values()[i++ % Kind.values().length];
      long start = System.nanoTime();
      try {
        HttpApi.Answer a = switch (kind) {
          case GET_APP -> api.get("/v2/apps" + probeAppId);
          case GET_QUEUE -> api.get("/v2/queue");
          case POST_APP -> api.post("/v2/apps", HttpApi.portlessSleepApp(postPrefix + "/app-" + posted++, 1));
        };
        long took = System.nanoTime() - start;
        if (a.status() >= 400) {
          latencies.get(kind).error();
        } else {
          latencies.get(kind).record(took);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        latencies.get(kind).error();
      }
      next = Math.max(next + intervalNanos, System.nanoTime());
      LockSupport.parkNanos(next - System.nanoTime());
    }
  }
}
