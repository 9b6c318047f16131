package dev.corral.agent.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events to a blocking stream. Blocking is the back-pressure: a client that reads slowly
 * stalls the writer, which then stops reading the log, so nothing queues up in memory. Not thread-safe.
 */
final class SseWriter {
  private final OutputStream out;

  SseWriter(OutputStream out) {
    this.out = out;
  }

  /** One event; {@code data} must not contain line breaks (callers split lines first). */
  void event(String type, String data) throws IOException {
    StringBuilder b = new StringBuilder(data.length() + 32);
    if (type != null) {
      b.append("event: ").append(type).append('\n');
    }
    b.append("data: ").append(data).append("\n\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A comment line: keeps proxies and idle timeouts from closing a quiet stream, and finds dead clients. */
  void comment(String text) throws IOException {
    out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  void flush() throws IOException {
    out.flush();
  }
}
