package dev.corral.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.corral.common.Json;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful (2xx) answer from the API. Immutable.
 *
 * @param uri the full request address, for messages about an unexpected body
 */
public record ApiResponse(String uri, int status, HttpHeaders headers, String body) {

  /** The body as JSON; an empty body (204, some DELETEs) reads as a missing node rather than failing. */
  public JsonNode json() {
    if (body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      // Most likely --url points at something that is not Corral (a proxy page, another web server).
      throw new IllegalStateException(
          "unexpected response from " + uri + ": not JSON (is --url pointing at Corral?)", e);
    }
  }

  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }
}
