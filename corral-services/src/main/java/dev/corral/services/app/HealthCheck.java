package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One of an app's health checks (Marathon's {@code healthChecks} entry) with Marathon's defaults applied.
 * Every protocol runs on the agent: the MESOS_ variants are the same checks as the plain ones.
 *
 * @param path the HTTP(S) path; "/" when not given
 * @param portIndex which of the task's ports to check; null when {@link #port} names a fixed one or the
 *     check is a COMMAND
 * @param port a fixed port to check; null when not given
 * @param command the COMMAND check's shell command ({@code command.value}); null for other protocols
 * @param ipProtocol "IPv4" or "IPv6": which loopback address the agent probes
 */
public record HealthCheck(Protocol protocol, String path, Integer portIndex, Integer port, String command,
    int gracePeriodSeconds, int intervalSeconds, int timeoutSeconds, int maxConsecutiveFailures, int delaySeconds,
    boolean ignoreHttp1xx, String ipProtocol) {

  /** Marathon's protocols. */
  public enum Protocol {
    HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP;

    /** Whether the check needs a port (all but COMMAND). */
    public boolean usesPort() {
      return this != COMMAND;
    }

    /** Whether the check is an HTTP(S) request. */
    public boolean http() {
      return this == HTTP || this == HTTPS || this == MESOS_HTTP || this == MESOS_HTTPS;
    }
  }

  public static final int DEFAULT_GRACE_PERIOD_SECONDS = 300;
  public static final int DEFAULT_INTERVAL_SECONDS = 60;
  public static final int DEFAULT_TIMEOUT_SECONDS = 20;
  public static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;
  public static final int DEFAULT_DELAY_SECONDS = 15;

  /** Reads a validated entry; odd values read back from an old store fall back to the defaults. */
  static HealthCheck fromJson(JsonNode n) {
    Protocol protocol = Protocol.HTTP;
    try {
      protocol = Protocol.valueOf(n.path("protocol").asText("HTTP"));
    } catch (IllegalArgumentException e) {
      // validated on the way in
    }
    Integer port = n.path("port").isNumber() ? n.get("port").asInt() : null;
    Integer portIndex = n.path("portIndex").isNumber() ? Integer.valueOf(n.get("portIndex").asInt()) : null;
    if (portIndex == null && port == null && protocol.usesPort()) {
      portIndex = 0; // Marathon: the first port when neither is given
    }
    String command = protocol == Protocol.COMMAND && n.path("command").path("value").isTextual()
        ? n.get("command").get("value").asText() : null;
    return new HealthCheck(protocol, n.path("path").asText("/"), protocol.usesPort() ? portIndex : null,
        protocol.usesPort() ? port : null, command,
        integer(n, "gracePeriodSeconds", DEFAULT_GRACE_PERIOD_SECONDS),
        integer(n, "intervalSeconds", DEFAULT_INTERVAL_SECONDS),
        integer(n, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
        integer(n, "maxConsecutiveFailures", DEFAULT_MAX_CONSECUTIVE_FAILURES),
        integer(n, "delaySeconds", DEFAULT_DELAY_SECONDS),
        n.path("ignoreHttp1xx").asBoolean(false),
        n.path("ipProtocol").asText("IPv4"));
  }

  private static int integer(JsonNode n, String field, int fallback) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() && v.asInt() >= 0 ? v.asInt() : fallback;
  }
}
