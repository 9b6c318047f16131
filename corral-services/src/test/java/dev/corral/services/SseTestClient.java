package dev.corral.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client for tests, on {@link HttpClient}: a reader thread parses the stream into frames
 * that the test takes in order.
 */
public final class SseTestClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** One event: its {@code event}, {@code data} and {@code id} (null when it has none). */
  public record Frame(String event, String data, Long id) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private volatile boolean ended;

  private SseTestClient(HttpResponse<InputStream> response) {
    this.response = response;
    Thread reader = new Thread(this::read, "sse-test-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens a stream (returns once the response headers are in); {@code headers} are added to the request. */
  public static SseTestClient open(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    headers.forEach(b::header);
    try {
      return new SseTestClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  /** The next frame; fails when none comes within ten seconds. */
  public Frame next() {
    try {
      Frame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no event within " + WAIT + (ended ? " (the stream ended)" : ""));
      }
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next frame of this type, skipping others. */
  public Frame next(String event) {
    while (true) {
      Frame f = next();
      if (f.event().equals(event)) {
        return f;
      }
    }
  }

  /** How many comment lines (heartbeats) came so far. */
  public int comments() {
    return comments.get();
  }

  /** Whether the server ended the stream. */
  public boolean ended() {
    return ended;
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String event = null;
      StringBuilder data = null;
      Long id = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            frames.add(new Frame(event == null ? "message" : event, data.toString(), id));
          }
          event = null;
          data = null;
          id = null;
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("event: ")) {
          event = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring("data: ".length()));
        } else if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring("id: ".length()));
        }
      }
    } catch (IOException e) {
      // closed by the test, or by the server
    } finally {
      ended = true;
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already closed
    }
  }
}
