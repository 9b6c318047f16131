package dev.corral.jobs.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Collects violations while a body is read; every reader method returns a default when the field is bad. */
final class Checker {
  final List<Violation> violations = new ArrayList<>();

  void fail(String path, String error) {
    violations.add(new Violation(path, error));
  }

  void throwIfInvalid() {
    if (!violations.isEmpty()) {
      throw new InvalidException(violations);
    }
  }

  void onlyKnown(JsonNode node, String path, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        fail(path + "/" + name, "unknown field");
      }
    }
  }

  String string(JsonNode node, String field, String path, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        fail(path + "/" + field, "is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      fail(path + "/" + field, "must be a string");
      return null;
    }
    return v.asText();
  }

  double number(JsonNode node, String field, String path, double dflt, double min) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      fail(path + "/" + field, "must be a number");
      return dflt;
    }
    if (v.asDouble() < min) {
      fail(path + "/" + field, "must be at least " + trim(min));
    }
    return v.asDouble();
  }

  Integer integer(JsonNode node, String field, String path, Integer dflt, int min) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      fail(path + "/" + field, "must be an integer");
      return dflt;
    }
    if (v.asInt() < min) {
      fail(path + "/" + field, "must be at least " + min);
    }
    return v.asInt();
  }

  boolean bool(JsonNode node, String field, String path, boolean dflt) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      fail(path + "/" + field, "must be a boolean");
      return dflt;
    }
    return v.asBoolean();
  }

  /** The field as an object, null when absent (or wrong, which is recorded). */
  JsonNode object(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      fail(path + "/" + field, "must be an object");
      return null;
    }
    return v;
  }

  JsonNode array(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      fail(path + "/" + field, "must be an array");
      return null;
    }
    return v;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
