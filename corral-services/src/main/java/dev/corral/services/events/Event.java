package dev.corral.services.events;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One published event: its number on the stream (the SSE {@code id}), its type and its JSON, serialized once
 * when published and shared by every subscriber; or a notice to one client about its stream (overflow, gap),
 * which has no id. Immutable (the array is never handed out).
 */
public final class Event {
  /** The id of a notice: notices are not numbered, so they never move a client's Last-Event-ID. */
  public static final long NO_ID = -1;

  private final long id;
  private final String type;
  private final byte[] json;

  Event(long id, String type, byte[] json) {
    this.id = id;
    this.type = Objects.requireNonNull(type, "type");
    this.json = json;
  }

  static Event notice(String type, byte[] json) {
    return new Event(NO_ID, type, json);
  }

  /** The event's number; {@link #NO_ID} for a notice. */
  public long id() {
    return id;
  }

  public boolean isNotice() {
    return id == NO_ID;
  }

  public String type() {
    return type;
  }

  /** The event's JSON, one line (the SSE {@code data}). */
  public String json() {
    return new String(json, StandardCharsets.UTF_8);
  }

  byte[] jsonBytes() {
    return json;
  }

  @Override
  public String toString() {
    return "Event[" + id + " " + type + "]";
  }
}
