package dev.corral.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The API answered with a non-2xx status. Carries what a user needs to act: the API's own {@code message}
 * and, for Marathon validation failures (422), one {@code path: error} line per problem.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private static final int MAX_PLAIN_MESSAGE = 200;

  private final int status;
  private final List<String> details;
  private final List<String> deployments;

  public ApiException(int status, String message, List<String> details) {
    this(status, message, details, List.of());
  }

  public ApiException(int status, String message, List<String> details, List<String> deployments) {
    super(message);
    this.status = status;
    this.details = List.copyOf(details);
    this.deployments = List.copyOf(deployments);
  }

  /**
   * Reads a Marathon error body: {@code {"message": ..., "details": [{"path": ..., "errors": [...]}]}}. Older
   * Marathon versions sent {@code {"attribute": ..., "error": ...}} details; both shapes are accepted. A body
   * that is not JSON (a proxy's HTML page) is cut to its first line.
   */
  public static ApiException fromResponse(String method, String path, int status, String body) {
    JsonNode json = parse(body);
    String message = json.path("message").asText("");
    if (message.isBlank()) {
      message = json.isMissingNode() ? firstLine(body) : "";
    }
    if (message.isBlank()) {
      // Without a message a 404 most often means the route itself is unknown to this server.
      message = method + " " + path + (status == 404 ? ": not found" : " failed");
    }
    List<String> details = new ArrayList<>();
    for (JsonNode detail : json.path("details")) {
      String where = detail.has("path") ? detail.path("path").asText() : detail.path("attribute").asText("");
      List<String> errors = new ArrayList<>();
      detail.path("errors").forEach(e -> errors.add(e.asText()));
      if (detail.hasNonNull("error")) {
        errors.add(detail.path("error").asText());
      }
      for (String error : errors) {
        details.add(where.isEmpty() ? error : where + ": " + error);
      }
    }
    // The package API (Cosmos) lists option errors as data.errors: [{"path", "rule", "message"}].
    for (JsonNode error : json.path("data").path("errors")) {
      details.add(error.path("path").asText() + ": " + error.path("message").asText()
          + (error.hasNonNull("rule") ? " (" + error.path("rule").asText() + ")" : ""));
    }
    // A 409 from a write names the deployments that hold the app, pod or group: {"deployments": [{"id": ...}]}.
    List<String> deployments = new ArrayList<>();
    for (JsonNode deployment : json.path("deployments")) {
      if (deployment.path("id").isValueNode()) {
        deployments.add(deployment.path("id").asText());
      }
    }
    return new ApiException(status, message, details, deployments);
  }

  public int status() {
    return status;
  }

  /** One {@code path: error} entry per validation problem; empty for most errors. */
  public List<String> details() {
    return details;
  }

  /** The ids of the deployments in the way of a write (409 Conflict); empty otherwise. */
  public List<String> deployments() {
    return deployments;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return Json.mapper().missingNode();
    }
    try {
      JsonNode node = Json.mapper().readTree(body);
      return node.isObject() ? node : Json.mapper().missingNode();
    } catch (JsonProcessingException e) {
      return Json.mapper().missingNode();
    }
  }

  private static String firstLine(String body) {
    if (body == null) {
      return "";
    }
    String line = body.strip().lines().findFirst().orElse("");
    return line.length() > MAX_PLAIN_MESSAGE ? line.substring(0, MAX_PLAIN_MESSAGE) + "..." : line;
  }
}
