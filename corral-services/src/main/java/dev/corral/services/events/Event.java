package dev.corral.services.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One published event: its number on the stream (the SSE {@code id}), its type and its JSON, shared by every
 * subscriber; or a notice to one client about its stream (overflow, gap), which has no id. Immutable (the
 * array is never handed out, the tree never changed).
 *
 * <p>A published event is serialized when a subscriber first needs its bytes, not when it is published: most
 * events (a deployment of 10,000 instances publishes some 40,000) are never sent to anyone, and serializing
 * each on the scheduler's loop was a quarter of the loop's time while tasks were placed.
 */
public final class Event {
  /** The id of a notice: notices are not numbered, so they never move a client's Last-Event-ID. */
  public static final long NO_ID = -1;

  private final long id;
  private final String type;
  /** The JSON as built; null for an event made from bytes. */
  private final ObjectNode tree;
  /** The JSON serialized; made at most a few times (racing subscribers may both make it, equal). */
  private volatile byte[] json;

  Event(long id, String type, byte[] json) {
    this.id = id;
    this.type = Objects.requireNonNull(type, "type");
    this.tree = null;
    this.json = Objects.requireNonNull(json, "json");
  }

  /** An event serialized on first use; {@code tree} must never change afterwards. */
  Event(long id, String type, ObjectNode tree) {
    this.id = id;
    this.type = Objects.requireNonNull(type, "type");
    this.tree = Objects.requireNonNull(tree, "tree");
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
    return new String(jsonBytes(), StandardCharsets.UTF_8);
  }

  byte[] jsonBytes() {
    byte[] bytes = json;
    if (bytes == null) {
      try {
        bytes = Json.mapper().writeValueAsBytes(tree);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      json = bytes;
    }
    return bytes;
  }

  /** The event's JSON read back: the tree it was built from (not to be changed), or its bytes parsed. */
  JsonNode readTree() throws IOException {
    return tree != null ? tree : Json.mapper().readTree(json);
  }

  @Override
  public String toString() {
    return "Event[" + id + " " + type + "]";
  }
}
