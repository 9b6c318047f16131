package dev.corral.services.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Marathon 1.5's defaults for fields an app definition leaves out, as GET shows them. Stored definitions keep
 * only what the user gave (plus what Corral assigned), so that a default can change without rewriting them;
 * the defaults are applied on the way out, and before comparing two definitions, so that sending a GET
 * response back with PUT is recognised as no change.
 */
public final class AppDefaults {
  private AppDefaults() {}

  /** Fills Marathon 1.5's defaults into absent fields of a stored definition (in place) and returns it. */
  public static ObjectNode fill(ObjectNode n) {
    // Marathon writes these as null when not given (api-examples/app_list.json); clients expect the keys.
    for (String nullable : List.of("cmd", "args", "user", "container", "acceptedResourceRoles")) {
      if (!n.has(nullable)) {
        n.putNull(nullable);
      }
    }
    putIfAbsent(n, "instances", AppDefinition.DEFAULT_INSTANCES);
    putIfAbsent(n, "cpus", AppDefinition.DEFAULT_CPUS);
    putIfAbsent(n, "mem", AppDefinition.DEFAULT_MEM);
    putIfAbsent(n, "disk", AppDefinition.DEFAULT_DISK);
    putIfAbsent(n, "gpus", AppDefinition.DEFAULT_GPUS);
    if (!n.has("executor")) {
      n.put("executor", "");
    }
    for (String array : List.of("constraints", "healthChecks", "readinessChecks", "fetch", "dependencies", "uris")) {
      if (!n.has(array)) {
        n.putArray(array);
      }
    }
    n.path("healthChecks").forEach(c -> {
      if (c instanceof ObjectNode check) {
        fillHealthCheck(check);
      }
    });
    n.path("readinessChecks").forEach(c -> {
      if (c instanceof ObjectNode check) {
        fillReadinessCheck(check);
      }
    });
    for (String object : List.of("env", "labels", "secrets")) {
      if (!n.has(object)) {
        n.putObject(object);
      }
    }
    putIfAbsent(n, "backoffSeconds", (int) AppDefinition.DEFAULT_BACKOFF_SECONDS);
    putIfAbsent(n, "backoffFactor", AppDefinition.DEFAULT_BACKOFF_FACTOR);
    putIfAbsent(n, "maxLaunchDelaySeconds", (int) AppDefinition.DEFAULT_MAX_LAUNCH_DELAY_SECONDS);
    if (!n.has("requirePorts")) {
      n.put("requirePorts", false);
    }
    if (!n.has("killSelection")) {
      n.put("killSelection", "YOUNGEST_FIRST");
    }
    boolean resident = !LocalVolume.of(n).isEmpty();
    if (!n.has("upgradeStrategy")) {
      n.putObject("upgradeStrategy").put("minimumHealthCapacity", resident ? 0.5 : 1.0)
          .put("maximumOverCapacity", resident ? 0.0 : 1.0);
    }
    if (!n.has("unreachableStrategy")) {
      if (resident) {
        n.put("unreachableStrategy", "disabled"); // its data is on its agent: it waits for it
      } else {
        n.putObject("unreachableStrategy").put("inactiveAfterSeconds", 300).put("expungeAfterSeconds", 600);
      }
    }
    boolean host = AppNormalizer.hostNetworking(n);
    if (!n.has("networks") && host) {
      n.putArray("networks").addObject().put("mode", "host");
    }
    if (!n.has("portDefinitions")) {
      n.putArray("portDefinitions");
    }
    // The legacy form, derived, for clients written against Marathon before 1.5 (app_list.json).
    if (host) {
      ArrayNode ports = n.putArray("ports");
      n.get("portDefinitions").forEach(p -> ports.add(p.path("port").asInt(0)));
    }
    return n;
  }

  /** Marathon 1.5 shows every field of a health check, with its default where it was left out. */
  private static void fillHealthCheck(ObjectNode c) {
    if (!c.hasNonNull("protocol")) {
      c.put("protocol", "HTTP");
    }
    HealthCheck.Protocol protocol;
    try {
      protocol = HealthCheck.Protocol.valueOf(c.get("protocol").asText());
    } catch (IllegalArgumentException e) {
      return; // not valid, so never stored
    }
    putIfAbsent(c, "gracePeriodSeconds", HealthCheck.DEFAULT_GRACE_PERIOD_SECONDS);
    putIfAbsent(c, "intervalSeconds", HealthCheck.DEFAULT_INTERVAL_SECONDS);
    putIfAbsent(c, "timeoutSeconds", HealthCheck.DEFAULT_TIMEOUT_SECONDS);
    putIfAbsent(c, "maxConsecutiveFailures", HealthCheck.DEFAULT_MAX_CONSECUTIVE_FAILURES);
    putIfAbsent(c, "delaySeconds", HealthCheck.DEFAULT_DELAY_SECONDS);
    if (protocol.usesPort() && !c.hasNonNull("port")) {
      putIfAbsent(c, "portIndex", 0);
    }
    if (protocol.http()) {
      if (!c.hasNonNull("path")) {
        c.put("path", "/");
      }
      if (!c.hasNonNull("ignoreHttp1xx")) {
        c.put("ignoreHttp1xx", false);
      }
    }
  }

  private static void fillReadinessCheck(ObjectNode c) {
    if (!c.hasNonNull("name")) {
      c.put("name", ReadinessCheck.DEFAULT_NAME);
    }
    if (!c.hasNonNull("protocol")) {
      c.put("protocol", "HTTP");
    }
    if (!c.hasNonNull("path")) {
      c.put("path", "/");
    }
    if (!c.hasNonNull("portName")) {
      c.put("portName", ReadinessCheck.DEFAULT_PORT_NAME);
    }
    putIfAbsent(c, "intervalSeconds", ReadinessCheck.DEFAULT_INTERVAL_SECONDS);
    putIfAbsent(c, "timeoutSeconds", ReadinessCheck.DEFAULT_TIMEOUT_SECONDS);
    if (!c.hasNonNull("httpStatusCodesForReady")) {
      c.putArray("httpStatusCodesForReady").add(200);
    }
    if (!c.hasNonNull("preserveLastResponse")) {
      c.put("preserveLastResponse", false);
    }
  }

  private static void putIfAbsent(ObjectNode n, String field, double value) {
    if (!n.has(field)) {
      n.put(field, value);
    }
  }

  private static void putIfAbsent(ObjectNode n, String field, int value) {
    if (!n.has(field)) {
      n.put(field, value);
    }
  }
}
