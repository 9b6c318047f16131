package dev.corral.cli.http;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events (the W3C {@code text/event-stream} format Marathon's {@code /v2/events} speaks)
 * from an open response body. Not thread-safe: one reader; {@link #close()} may be called from another thread
 * to give up.
 */
public final class EventStream implements Closeable {
  private static final String DEFAULT_TYPE = "message";

  private final InputStream body;
  private final BufferedReader reader;

  public EventStream(InputStream body) {
    this.body = body;
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /**
   * Blocks until the next complete event; empty when the stream ended. An event still open at the end is
   * dropped, as the format requires (a blank line is what completes an event).
   *
   * @throws IOException when the connection broke
   */
  public Optional<ServerSentEvent> next() throws IOException {
    String type = DEFAULT_TYPE;
    StringBuilder data = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new ServerSentEvent(type, data.toString()));
        }
        type = DEFAULT_TYPE;
        continue;
      }
      if (line.startsWith(":")) {
        continue; // a comment; servers send these to keep idle connections open
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("event")) {
        type = value;
      } else if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return Optional.empty();
  }

  /**
   * Drops the connection. Closes the body, not the reader: a reader blocked in {@link #next()} holds the
   * reader's lock, and closing that would wait for the next event.
   */
  @Override
  public void close() throws IOException {
    body.close();
  }
}
