package dev.corral.cli.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.input.Definition;
import dev.corral.common.Json;
import java.io.InputStream;

/** Calls to the package API: each is a POST of a JSON request to {@code /package/<action>}. */
final class Cosmos {
  private Cosmos() {}

  static JsonNode call(ApiClient api, String action, ObjectNode request) {
    return api.post("/package/" + action, request.toString()).json();
  }

  static ObjectNode request() {
    return Json.mapper().createObjectNode();
  }

  /** The options file ({@code -} for stdin) as a JSON object. */
  static JsonNode options(String file, InputStream stdin) {
    return Definition.read("options file", file, stdin).json();
  }
}
