package dev.corral.services.events;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framing. An event is {@code event: <type>\ndata: <json>\nid: <id>\n\n}: the first two
 * lines exactly as Marathon writes them (some clients read them by position), the id after them. Notices have
 * no id line. A heartbeat is an empty comment, {@code :\n\n}.
 */
final class SseFrames {
  static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID = "\nid: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {}

  /** Appends one event's frame. The JSON is one line (Jackson's compact output escapes newlines). */
  static void append(ByteArrayOutputStream out, Event e) {
    out.writeBytes(EVENT);
    out.writeBytes(e.type().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(DATA);
    out.writeBytes(e.jsonBytes());
    if (!e.isNotice()) {
      out.writeBytes(ID);
      out.writeBytes(Long.toString(e.id()).getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(END);
  }
}
