package dev.corral.services.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An HTTP error answer with Marathon's body shapes: {@code {"message": …}}, plus {@code details} for 422. */
public final class HttpError extends RuntimeException {
  private final int status;
  private final ObjectNode body;

  public HttpError(int status, ObjectNode body) {
    super(body.path("message").asText(), null, false, false);
    this.status = status;
    this.body = body;
  }

  public static HttpError message(int status, String message) {
    return new HttpError(status, Json.mapper().createObjectNode().put("message", message));
  }

  /** 422 {"message": "Object is not valid", "details": [{"path": "/cpus", "errors": ["must be >= 0"]}]}. */
  public static HttpError invalid(List<Violation> violations) {
    ObjectNode body = Json.mapper().createObjectNode().put("message", "Object is not valid");
    Map<String, ArrayNode> byPath = new LinkedHashMap<>();
    ArrayNode details = body.putArray("details");
    for (Violation v : violations) {
      byPath.computeIfAbsent(v.path(), p -> {
        ObjectNode d = details.addObject().put("path", p);
        return d.putArray("errors");
      }).add(v.error());
    }
    return new HttpError(422, body);
  }

  public int status() {
    return status;
  }

  public ObjectNode body() {
    return body.deepCopy();
  }
}
