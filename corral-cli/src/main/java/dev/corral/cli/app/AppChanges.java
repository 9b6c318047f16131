package dev.corral.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code KEY=VALUE} changes of {@code corral app update}, turned into the partial body of
 * {@code PUT /v2/apps/{id}}. Simple top-level fields only; anything else belongs in a file.
 *
 * <p>Marathon's partial update replaces each top-level field it is given as a whole, so {@code env} and
 * {@code labels} are sent complete: the app's current map with the named entries changed. Immutable.
 */
final class AppChanges {
  static final String SUPPORTED = "instances, cpus, mem, disk, gpus, cmd, env.NAME and labels.NAME";
  private static final Set<String> NUMBERS = Set.of("cpus", "mem", "disk", "gpus");
  private static final Set<String> MAPS = Set.of("env", "labels");

  private record Change(String field, String name, String value) {}

  private final List<Change> changes;

  private AppChanges(List<Change> changes) {
    this.changes = List.copyOf(changes);
  }

  /** True when {@code arg} reads as a change rather than a file name. */
  static boolean isChange(String arg) {
    return arg.contains("=");
  }

  /**
   * Parses {@code instances=3 cpus=0.5 env.LOG_LEVEL=debug}; the last of repeated keys wins.
   *
   * @throws IllegalArgumentException with a message for the user when a key is unknown or a value is wrong
   */
  static AppChanges parse(List<String> args) {
    List<Change> changes = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String key = arg.substring(0, eq);
      String value = arg.substring(eq + 1);
      int dot = key.indexOf('.');
      String field = dot < 0 ? key : key.substring(0, dot);
      if (dot >= 0 && MAPS.contains(field)) {
        String name = key.substring(dot + 1);
        if (name.isEmpty()) {
          throw new IllegalArgumentException("'" + arg + "' names no " + field + " entry: use " + field
              + ".NAME=VALUE");
        }
        changes.add(new Change(field, name, value));
      } else if (dot < 0 && (key.equals("instances") || key.equals("cmd") || NUMBERS.contains(key))) {
        check(key, value);
        changes.add(new Change(key, null, value));
      } else {
        throw new IllegalArgumentException("cannot set '" + key + "' with KEY=VALUE (it sets " + SUPPORTED
            + "); put other changes in a JSON file: corral app update ID FILE");
      }
    }
    return new AppChanges(changes);
  }

  /** Whether the body needs the app's current {@code env} or {@code labels}. */
  boolean touchesMaps() {
    return changes.stream().anyMatch(c -> c.name() != null);
  }

  /**
   * The JSON to PUT.
   *
   * @param current the app as the server has it now; only read for {@code env} and {@code labels}
   */
  ObjectNode body(JsonNode current) {
    ObjectNode body = Json.mapper().createObjectNode();
    for (Change change : changes) {
      if (change.name() != null) {
        if (!body.has(change.field())) {
          JsonNode existing = current.path(change.field());
          body.set(change.field(), existing.isObject() ? existing.deepCopy() : Json.mapper().createObjectNode());
        }
        ((ObjectNode) body.get(change.field())).put(change.name(), change.value());
      } else if (change.field().equals("instances")) {
        body.put("instances", Integer.parseInt(change.value()));
      } else if (NUMBERS.contains(change.field())) {
        body.put(change.field(), Double.parseDouble(change.value()));
      } else {
        body.put(change.field(), change.value());
      }
    }
    return body;
  }

  private static void check(String key, String value) {
    if (key.equals("instances")) {
      try {
        if (Integer.parseInt(value) >= 0) {
          return;
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new IllegalArgumentException("instances must be a whole number of 0 or more, got '" + value + "'");
    }
    if (NUMBERS.contains(key)) {
      try {
        double number = Double.parseDouble(value);
        if (Double.isFinite(number) && number >= 0) {
          return;
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new IllegalArgumentException(key + " must be a number of 0 or more, got '" + value + "'");
    }
  }
}
