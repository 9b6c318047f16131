package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One of an app's readiness checks (Marathon's {@code readinessChecks} entry) with Marathon's defaults
 * applied. The agent requests the path on the task's port named {@code portName} until the answer's status
 * is one of {@code httpStatusCodesForReady}; the task is then ready.
 *
 * @param protocol "HTTP" or "HTTPS"
 * @param preserveLastResponse stored and returned; Corral does not keep responses
 */
public record ReadinessCheck(String name, String protocol, String path, String portName, int intervalSeconds,
    int timeoutSeconds, List<Integer> httpStatusCodesForReady, boolean preserveLastResponse) {

  public static final String DEFAULT_NAME = "readinessCheck";
  public static final String DEFAULT_PORT_NAME = "http-api";
  public static final int DEFAULT_INTERVAL_SECONDS = 30;
  public static final int DEFAULT_TIMEOUT_SECONDS = 10;

  public ReadinessCheck {
    httpStatusCodesForReady = List.copyOf(httpStatusCodesForReady);
  }

  /** Reads a validated entry; odd values read back from an old store fall back to the defaults. */
  static ReadinessCheck fromJson(JsonNode n) {
    List<Integer> codes = new ArrayList<>();
    n.path("httpStatusCodesForReady").forEach(c -> {
      if (c.isNumber()) {
        codes.add(c.asInt());
      }
    });
    if (!n.has("httpStatusCodesForReady")) {
      codes.add(200);
    }
    return new ReadinessCheck(n.path("name").asText(DEFAULT_NAME),
        "HTTPS".equals(n.path("protocol").asText()) ? "HTTPS" : "HTTP", n.path("path").asText("/"),
        n.path("portName").asText(DEFAULT_PORT_NAME),
        integer(n, "intervalSeconds", DEFAULT_INTERVAL_SECONDS), integer(n, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
        codes, n.path("preserveLastResponse").asBoolean(false));
  }

  private static int integer(JsonNode n, String field, int fallback) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() && v.asInt() >= 0 ? v.asInt() : fallback;
  }
}
