package dev.corral.services.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads request bodies: malformed JSON is a 400 that says where; JSON of the wrong shape is a 422. */
public final class Bodies {
  private static final ObjectReader READER = Json.mapper().reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Bodies() {}

  public static ObjectNode object(byte[] body) {
    JsonNode tree = tree(body);
    if (!(tree instanceof ObjectNode object)) {
      throw HttpError.invalid(List.of(new Violation("/", "must be a JSON object")));
    }
    return object;
  }

  /** A JSON array of objects (bulk updates); an element that is not an object is a 422 naming its index. */
  public static List<ObjectNode> objects(byte[] body) {
    JsonNode tree = tree(body);
    if (!tree.isArray()) {
      throw HttpError.invalid(List.of(new Violation("/", "must be a JSON array of app definitions")));
    }
    List<ObjectNode> out = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < tree.size(); i++) {
      if (tree.get(i) instanceof ObjectNode object) {
        out.add(object);
      } else {
        violations.add(new Violation("/" + i, "must be a JSON object"));
      }
    }
    if (!violations.isEmpty()) {
      throw HttpError.invalid(violations);
    }
    return out;
  }

  private static JsonNode tree(byte[] body) {
    JsonNode tree;
    try {
      tree = READER.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw HttpError.message(400, "Invalid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpError.message(400, "Invalid JSON: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      throw HttpError.message(400, "Invalid JSON: the request body is empty");
    }
    return tree;
  }
}
